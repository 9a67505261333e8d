package dev.nanolet.platform.deployment;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The resource version each deployment had when a secret change of the current transaction restarted it, before that
 * restart moved it. A manifest writes its secrets before its deployments, so a Deployment document that names the
 * version it read would otherwise fail against a version the manifest itself made; its check uses this one instead.
 * That is as atomic as checking at the restart: the transaction has held the deployment's row lock since.
 */
final class VersionsBeforeRestart {
    private static final Object KEY = VersionsBeforeRestart.class;

    private VersionsBeforeRestart() {}

    /** Records {@code version} for deployment {@code id}, unless this transaction already restarted it. */
    static void record(long id, String version) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        Map<Long, String> versions = versions();
        if (versions == null) {
            versions = new HashMap<>();
            TransactionSynchronizationManager.bindResource(KEY, versions);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
                }
            });
        }
        versions.putIfAbsent(id, version);
    }

    /** The version to check a write's precondition against: the one before this transaction's restart, else the current one. */
    static String ofWrite(DeploymentEntity d) {
        return Optional.ofNullable(versions()).map(v -> v.get(d.getId())).orElse(d.getResourceVersion());
    }

    @SuppressWarnings("unchecked")
    private static Map<Long, String> versions() {
        return (Map<Long, String>) TransactionSynchronizationManager.getResource(KEY);
    }
}
