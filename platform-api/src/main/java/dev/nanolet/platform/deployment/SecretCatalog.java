package dev.nanolet.platform.deployment;

import java.util.Optional;
import java.util.Set;

/** What a deployment may reference: the key names of a namespace's secrets (implemented by the secret package). */
public interface SecretCatalog {
    /**
     * The keys of secret {@code namespace/name}, empty when there is no such secret. With {@code forShare}, holds a
     * share lock on the secret until the transaction ends, so it cannot be deleted under a deployment being applied.
     */
    Optional<Set<String>> keys(String namespace, String name, boolean forShare);
}
