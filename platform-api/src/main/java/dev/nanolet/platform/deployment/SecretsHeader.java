package dev.nanolet.platform.deployment;

import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;

/**
 * {@code Nanolet-Secrets}, on {@code POST /apply}'s answer when the manifest holds Secret documents: what this request
 * did to each of their secrets, in document order, e.g. {@code shop/db created 1, shop/api updated 2, shop/cfg unchanged 3}
 * (namespace/name, what it did, the version after it). A client comparing a secret's version before and after the apply
 * counted another writer's change in between as the apply's. A header, not the body: the body is the array of
 * deployments older clients read, and names and versions hold no comma or space. Left off when longer than
 * {@value #MAX_LENGTH} characters (a manifest's 100 documents with long names make ~16 KB): Tomcat answered a 500 for
 * response headers above 8 KB, after the apply was committed, and a proxy's buffer for them may be 4 KB; a client then
 * compares versions, as without it.
 */
final class SecretsHeader {
    static final String NAME = "Nanolet-Secrets";
    static final int MAX_LENGTH = 2048;

    private SecretsHeader() {}

    /** The header for {@code written}; none when the manifest wrote no secret, or when it would be too long. */
    static HttpHeaders of(List<SecretWriter.Written> written) {
        HttpHeaders headers = new HttpHeaders();
        String value = written.stream().map(w -> w.namespace() + "/" + w.name() + " " + w.done() + " " + w.version())
                .collect(Collectors.joining(", "));
        if (!value.isEmpty() && value.length() <= MAX_LENGTH) {
            headers.set(NAME, value);
        }
        return headers;
    }
}
