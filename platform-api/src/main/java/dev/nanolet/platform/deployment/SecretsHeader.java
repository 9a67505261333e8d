package dev.nanolet.platform.deployment;

import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;

/**
 * {@code Nanolet-Secrets}, on {@code POST /apply}'s answer when the manifest holds Secret documents: what this request
 * did to each of their secrets, in document order, e.g. {@code shop/db created 1, shop/api updated 2, shop/cfg unchanged 3}
 * (namespace/name, what it did, the version after it). A client comparing a secret's version before and after the apply
 * counted another writer's change in between as the apply's. A header, not the body: the body is the array of
 * deployments older clients read, and names and versions hold no comma or space.
 */
final class SecretsHeader {
    static final String NAME = "Nanolet-Secrets";

    private SecretsHeader() {}

    /** The header for {@code written}; none when the manifest wrote no secret. */
    static HttpHeaders of(List<SecretWriter.Written> written) {
        HttpHeaders headers = new HttpHeaders();
        if (!written.isEmpty()) {
            headers.set(NAME, written.stream().map(w -> w.namespace() + "/" + w.name() + " " + w.done() + " " + w.version())
                    .collect(Collectors.joining(", ")));
        }
        return headers;
    }
}
