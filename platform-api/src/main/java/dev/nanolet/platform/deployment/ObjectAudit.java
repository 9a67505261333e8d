package dev.nanolet.platform.deployment;

import dev.nanolet.platform.audit.RequestAudit;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The audit entries of the objects a request wrote besides the one its path names, each as the request that writes it
 * alone is audited, with its namespace, so that a namespace's audit log ({@code GET /audit?namespace=}) shows them. For
 * {@code POST /api/v1/apply}, which names no namespace: one {@code PUT} per document applied (Deployment or Secret,
 * changed or not, as a {@code PUT} of it is audited), one {@code DELETE} per deployment pruned. For an apply and a single
 * {@code PUT ?atomic=true} alike: the write each undo made ({@code POST …/rollback} 200, {@code DELETE} 204) or had
 * refused (412, 404: another write came between; kept).
 * A document's {@code PUT} is 200, written once the transaction committed, before any wait (a platform-api stopped while
 * it waits, for minutes maybe, must not leave a committed write unlisted); the one whose rollout failed
 * ({@code wait=true}) gets a second {@code PUT} entry once the wait ended, 422 written 200 (written null when
 * {@code atomic=true} reverted it), after its own undo's entry, as a {@code PUT ?wait=true&atomic=true} of it is
 * audited: the append-only log cannot change the first; the other documents' undo entries follow it.
 * A failed apply wrote nothing and has only the request's entry, as has a dry run. Each is recorded by
 * {@link RequestAudit#wrote}, whose failing to write is logged and does not change the answer.
 */
@Component
class ObjectAudit {
    private final RequestAudit entries;

    ObjectAudit(RequestAudit entries) {
        this.entries = entries;
    }

    /** Each document written, 200, once the transaction committed. */
    void applied(List<ManifestDocuments.Manifest> manifests, HttpServletRequest request) {
        for (ManifestDocuments.Manifest m : manifests) {
            record(request, "PUT", m.namespace(), (m.isSecret() ? "secrets/" : "deployments/") + m.name(), 200, null);
        }
    }

    /**
     * Deployment document {@code m}, whose rollout failed ({@code wait=true}): its second {@code PUT} entry, 422, written
     * 200, or {@code written} null when {@code atomic=true} reverted it.
     */
    void rolloutFailed(ManifestDocuments.Manifest m, Integer written, HttpServletRequest request) {
        record(request, "PUT", m.namespace(), "deployments/" + m.name(), 422, written);
    }

    void pruned(List<ManifestPrune.Pruned> pruned, HttpServletRequest request) {
        for (ManifestPrune.Pruned p : pruned) {
            record(request, "DELETE", p.namespace(), "deployments/" + p.name(), 200, null); // as the apply answered
        }
    }

    /** What {@code atomic=true} did to Deployment document {@code m}: nothing to record when nothing was to undo. */
    void undone(ManifestDocuments.Manifest m, Rollouts.Undone undone, HttpServletRequest request) {
        undone(m.namespace(), m.name(), undone, request);
    }

    /**
     * What {@code atomic=true} did to deployment {@code name}, as {@link #undone(ManifestDocuments.Manifest,
     * Rollouts.Undone, HttpServletRequest)}: for an apply's document or a single {@code PUT ?atomic=true}.
     */
    void undone(String namespace, String name, Rollouts.Undone undone, HttpServletRequest request) {
        if (undone.method() != null) {
            record(request, undone.method(), namespace, "deployments/" + name + undone.subresource(), undone.status(), null);
        }
    }

    private void record(HttpServletRequest request, String method, String namespace, String kindAndName, int status,
            Integer written) {
        entries.wrote(request, method, "namespaces/" + namespace + "/" + kindAndName, status, written);
    }
}
