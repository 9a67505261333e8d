package dev.nanolet.platform.deployment;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.InvalidInputException;
import java.util.function.Supplier;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * What a concurrent writer can trip when {@link DeploymentWriter} flushes a row — the unique indexes on live routes
 * and names, and the revision's module reference — as the API answers it.
 */
final class ConcurrentWrites {
    private ConcurrentWrites() {}

    /** Runs {@code write} for deployment {@code namespace/name}, translating those violations; any other is rethrown. */
    static <T> T guarded(String namespace, String name, Supplier<T> write) {
        try {
            return write.get();
        } catch (DataIntegrityViolationException e) {
            String cause = String.valueOf(e.getMostSpecificCause().getMessage());
            if (cause.contains("deployments_live_http_path")) {
                throw new ConflictException("http.path", "is already served by another deployment, applied at the same moment");
            }
            if (cause.contains("revisions_module_digest_fkey")) {
                throw new InvalidInputException("module", "was deleted while this change was being applied; upload it again");
            }
            if (cause.contains("deployments_live_name")) {
                throw new ConcurrentCreateException(namespace, name);
            }
            throw e;
        }
    }
}
