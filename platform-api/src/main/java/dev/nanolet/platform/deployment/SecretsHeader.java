package dev.nanolet.platform.deployment;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code Nanolet-Secrets}, on {@code POST /apply}'s answer when the manifest holds Secret documents: what this request
 * did to each of their secrets, in document order, e.g. {@code shop/db created 1, shop/api updated 2, shop/cfg unchanged 3}
 * (namespace/name, what it did, the version after it). A client comparing a secret's version before and after the apply
 * counted another writer's change in between as the apply's. It is set on the response as soon as the write is
 * committed, so that every answer after it carries it: the 200, and a {@code wait=true} that ends in a failed rollout
 * (422, which {@code atomic} does not change for a secret), a revoked token (401) or a database that stopped answering
 * (503), since the write stays. A header, not the body: the body is the array of
 * deployments older clients read, and names and versions hold no comma or space. Left off when longer than
 * {@value #MAX_LENGTH} characters (a manifest's 100 documents with long names make ~16 KB): Tomcat answered a 500 for
 * response headers above 8 KB, after the apply was committed, and a proxy's buffer for them may be 4 KB; a client then
 * compares versions, as without it.
 */
final class SecretsHeader {
    static final String NAME = "Nanolet-Secrets";
    static final int MAX_LENGTH = 2048;

    private SecretsHeader() {}

    /** Sets the header for {@code written} on {@code response}; none when the manifest wrote no secret, or when too long. */
    static void set(HttpServletResponse response, List<SecretWriter.Written> written) {
        String value = written.stream().map(w -> w.namespace() + "/" + w.name() + " " + w.done() + " " + w.version())
                .collect(Collectors.joining(", "));
        if (!value.isEmpty() && value.length() <= MAX_LENGTH) {
            response.setHeader(NAME, value);
        }
    }
}
