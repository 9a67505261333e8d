package dev.nanolet.platform.deployment;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A manifest's secret locks, taken after the routes lock and before any deployment row, in (namespace, name) order:
 * the secrets it writes as {@link SecretWriter#write} locks them, the ones its deployments only reference with the
 * share lock their validation takes. A {@code PUT} of a secret locks the secret, then the deployments it rolls out
 * (docs/node-protocol.md, "Lock order"); a manifest that locked a deployment first (its own document, or one a
 * secret it writes rolls out) and then share-locked a secret a later document references waited for that {@code PUT}
 * while the {@code PUT} waited for it, until PostgreSQL aborted one of them.
 */
final class ManifestSecretLocks {
    private ManifestSecretLocks() {}

    private record Ref(String namespace, String name) {}

    private static final Comparator<Ref> ORDER = Comparator.comparing(Ref::namespace).thenComparing(Ref::name);

    static void lock(List<ManifestDocuments.Manifest> manifests, SecretWriter writes, SecretCatalog references) {
        Map<Ref, Boolean> forUpdate = new TreeMap<>(ORDER);
        for (ManifestDocuments.Manifest m : manifests) {
            if (m.isSecret()) {
                forUpdate.put(new Ref(m.namespace(), m.name()), true);
            } else if (m.spec() != null) {
                SecretRefs.names(m.spec()).forEach(name -> forUpdate.putIfAbsent(new Ref(m.namespace(), name), false));
            }
        }
        forUpdate.forEach((ref, write) -> {
            if (write) {
                writes.lock(ref.namespace(), ref.name());
            } else {
                references.keys(ref.namespace(), ref.name(), true);
            }
        });
    }
}
