package dev.nanolet.platform.deployment;

import dev.nanolet.platform.audit.AuditLog;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.AuditEntry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit entries of a manifest's writes, beside the request's own ({@code POST /api/v1/apply}, which names no
 * namespace): one {@code PUT} per document applied (Deployment or Secret, changed or not, as a {@code PUT} of it is
 * audited) and one {@code DELETE} per deployment pruned, each with its namespace, so that a namespace's audit log
 * ({@code GET /audit?namespace=}) shows them. Written after the transaction committed (a failed apply wrote nothing
 * and has only the request's entry, as has a dry run: marked as one by {@code AuditFilter}), with status 200 as the
 * apply answered; writing them failing is logged and does not change the answer, as in {@code AuditFilter}.
 */
final class ManifestAudit {
    private static final Logger log = LoggerFactory.getLogger(ManifestAudit.class);

    private ManifestAudit() {}

    static void applied(AuditLog audit, Caller caller, List<ManifestDocuments.Manifest> manifests, HttpServletRequest request) {
        for (ManifestDocuments.Manifest m : manifests) {
            record(audit, caller, "PUT", m.namespace(), (m.isSecret() ? "secrets/" : "deployments/") + m.name(), request);
        }
    }

    static void pruned(AuditLog audit, Caller caller, List<ManifestPrune.Pruned> pruned, HttpServletRequest request) {
        for (ManifestPrune.Pruned p : pruned) {
            record(audit, caller, "DELETE", p.namespace(), "deployments/" + p.name(), request);
        }
    }

    private static void record(AuditLog audit, Caller caller, String method, String namespace, String kindAndName,
            HttpServletRequest request) {
        String object = "namespaces/" + namespace + "/" + kindAndName;
        try {
            audit.record(new AuditEntry(0, null, caller.id(), caller.name(), method, "/api/v1/" + object, namespace, object,
                    request.getRemoteAddr(), 200, false));
        } catch (RuntimeException e) {
            log.error("could not record {} /api/v1/{} (by {} through POST /api/v1/apply) in the audit log", method, object,
                    caller.name(), e);
        }
    }
}
