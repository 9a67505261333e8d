package dev.nanolet.platform.deployment;

import dev.nanolet.platform.BadRequestException;
import dev.nanolet.platform.audit.AuditLog;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.AuditEntry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;

/**
 * The {@code prune} and {@code selector} parameters of apply and diff, and the audit entries of a
 * prune: the request itself is audited as {@code POST /api/v1/apply}; each deployment it deleted
 * gets its own {@code DELETE} entry, written after the transaction committed.
 */
final class PruneOptions {
    private PruneOptions() {}

    /** The selector when {@code prune} is asked for, else null; 400 for a prune without a selector or with atomic. */
    static Map<String, String> selector(boolean prune, String selector, boolean atomic) {
        if (!prune) {
            if (selector != null) {
                throw new BadRequestException("selector: only with prune=true");
            }
            return null;
        }
        if (selector == null || selector.isBlank()) {
            throw new BadRequestException("prune: needs selector=key=value[,key=value]: prune deletes only what it selects");
        }
        if (atomic) {
            throw new BadRequestException("prune: not with atomic=true (atomic cannot bring pruned deployments back)");
        }
        return Labels.selector(selector);
    }

    static void audit(AuditLog audit, Caller caller, List<ManifestPrune.Pruned> pruned, HttpServletRequest request) {
        for (ManifestPrune.Pruned p : pruned) {
            String object = "namespaces/" + p.namespace() + "/deployments/" + p.name();
            audit.record(new AuditEntry(0, null, caller.id(), caller.name(), "DELETE", "/api/v1/" + object, p.namespace(),
                    object, request.getRemoteAddr(), 200));
        }
    }
}
