package dev.nanolet.platform.secret;

import dev.nanolet.platform.deployment.SecretCatalog;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/** The key names of secrets, for validating deployments (apart from {@link Secrets}, which rolls deployments out). */
@Component
class SecretKeys implements SecretCatalog {
    private final SecretStore store;

    SecretKeys(SecretStore store) {
        this.store = store;
    }

    @Override
    public Optional<Set<String>> keys(String namespace, String name, boolean forShare) {
        return (forShare ? store.lockForShare(namespace, name) : store.find(namespace, name))
                .map(s -> new TreeSet<>(s.secret().keys()));
    }
}
