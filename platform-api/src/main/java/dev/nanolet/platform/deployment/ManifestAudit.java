package dev.nanolet.platform.deployment;

import dev.nanolet.platform.audit.AuditLog;
import dev.nanolet.platform.web.ApiPaths;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.AuditEntry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit entries of a manifest's writes, beside the request's own ({@code POST /api/v1/apply}, which names no
 * namespace), each with its namespace, so that a namespace's audit log ({@code GET /audit?namespace=}) shows them:
 * one {@code PUT} per document applied (Deployment or Secret, changed or not, as a {@code PUT} of it is audited), one
 * {@code DELETE} per deployment pruned, and, when {@code atomic=true} undid the apply, the write each undo made
 * ({@code POST …/rollback} 200, {@code DELETE} 204) or had refused (412, 404: another write came between; kept).
 * A document's {@code PUT} is 200, written once the transaction committed, before any wait (a platform-api stopped while
 * it waits, for minutes maybe, must not leave a committed write unlisted); the one whose rollout failed
 * ({@code wait=true}) gets a second {@code PUT} entry once the wait ended, 422 written 200 (written null when
 * {@code atomic=true} reverted it), as a {@code PUT ?wait=true} of it is audited: the append-only log cannot change the
 * first; any undo entries follow it.
 * A failed apply wrote nothing and has only the request's entry, as has a dry run. Writing them failing is logged and
 * does not change the answer, as in {@code AuditFilter}.
 */
final class ManifestAudit {
    private static final Logger log = LoggerFactory.getLogger(ManifestAudit.class);

    private ManifestAudit() {}

    /** Each document written, 200, once the transaction committed. */
    static void applied(AuditLog audit, Caller caller, List<ManifestDocuments.Manifest> manifests, HttpServletRequest request) {
        for (ManifestDocuments.Manifest m : manifests) {
            record(audit, caller, "PUT", m.namespace(), (m.isSecret() ? "secrets/" : "deployments/") + m.name(), 200, null, request);
        }
    }

    /**
     * Deployment document {@code m}, whose rollout failed ({@code wait=true}): its second {@code PUT} entry, 422, written
     * 200, or {@code written} null when {@code atomic=true} reverted it.
     */
    static void rolloutFailed(AuditLog audit, Caller caller, ManifestDocuments.Manifest m, Integer written,
            HttpServletRequest request) {
        record(audit, caller, "PUT", m.namespace(), "deployments/" + m.name(), 422, written, request);
    }

    static void pruned(AuditLog audit, Caller caller, List<ManifestPrune.Pruned> pruned, HttpServletRequest request) {
        for (ManifestPrune.Pruned p : pruned) {
            record(audit, caller, "DELETE", p.namespace(), "deployments/" + p.name(), 200, null, request); // as the apply answered
        }
    }

    /** What {@code atomic=true} did to Deployment document {@code m}: nothing to record when nothing was to undo. */
    static void undone(AuditLog audit, Caller caller, ManifestDocuments.Manifest m, Rollouts.Undone undone,
            HttpServletRequest request) {
        undone(audit, caller, m.namespace(), m.name(), undone, request);
    }

    /**
     * What {@code atomic=true} did to deployment {@code name}, as {@link #undone(AuditLog, Caller, ManifestDocuments.Manifest,
     * Rollouts.Undone, HttpServletRequest)}: for an apply's document or a single {@code PUT ?atomic=true}.
     */
    static void undone(AuditLog audit, Caller caller, String namespace, String name, Rollouts.Undone undone,
            HttpServletRequest request) {
        if (undone.method() != null) {
            record(audit, caller, undone.method(), namespace, "deployments/" + name + undone.subresource(),
                    undone.status(), null, request);
        }
    }

    private static void record(AuditLog audit, Caller caller, String method, String namespace, String kindAndName,
            int status, Integer written, HttpServletRequest request) {
        String object = "namespaces/" + namespace + "/" + kindAndName;
        try {
            audit.record(new AuditEntry(0, null, caller.id(), caller.name(), method, "/api/v1/" + object, namespace, object,
                    request.getRemoteAddr(), status, false, written));
        } catch (RuntimeException e) {
            log.error("could not record {} /api/v1/{} (by {} through {} {}) in the audit log", method, object,
                    caller.name(), request.getMethod(), ApiPaths.of(request), e);
        }
    }
}
