package dev.nanolet.platform.audit;

import dev.nanolet.platform.dryrun.DryRunIntent;
import dev.nanolet.platform.web.ApiPaths;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.AuditEntry;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The audit entries a request writes: its own, by {@link AuditFilter} once the request answered, or, for a write that may
 * wait after its commit ({@code PUT …/deployments/{name}}, {@code POST …/rollback}, {@code POST /apply}), by its handler
 * as soon as the write committed ({@link #committed}), so that a platform-api stopped mid-wait, for minutes maybe, or a
 * client that drops leaves no committed write unlisted; and those of the objects it wrote besides the one its path
 * names ({@link #wrote}: an apply's documents, an undo). The log is only
 * appended to: when such a request then answers otherwise (a wait that ended 401, 404, 422, 503), a second entry says
 * so with the status answered and, as {@code written}, the write's own ({@link Written}); when it answers as the write
 * did, its first entry is the whole story and no second is written. Every entry of a request carries its id
 * ({@link RequestIdFilter}), which pairs them. Writing an entry failing is logged, with that id, and does not
 * change the answer: the write it describes has already happened.
 */
@Component
public class RequestAudit {
    private static final Logger log = LoggerFactory.getLogger(RequestAudit.class);
    private static final String RECORDED = RequestAudit.class.getName() + ".recorded";
    private static final String API = "/api/v1/";

    private final AuditLog audit;
    private final DryRunIntent dryRun;

    RequestAudit(AuditLog audit, DryRunIntent dryRun) {
        this.audit = audit;
        this.dryRun = dryRun;
    }

    /**
     * The write of {@code request} committed with {@code status} (200, 201): marks it ({@link Written#mark}) and records
     * its entry now, before anything that may answer otherwise.
     */
    public void committed(HttpServletRequest request, int status) {
        Written.mark(request, status);
        if (record(request, request.getMethod(), ApiPaths.of(request), status, dryRun.of(request), null)) {
            request.setAttribute(RECORDED, status);
        }
    }

    /**
     * A write {@code request} made (never a dry run's) of another object than its path names: the entry of
     * {@code method} on {@code object} (the path below {@code /api/v1/}) answered {@code status}, {@code written} as in
     * {@link AuditEntry#written}, as that request would have been audited, by the caller of {@code request}.
     */
    public void wrote(HttpServletRequest request, String method, String object, int status, Integer written) {
        record(request, method, API + object, status, false, written);
    }

    /** {@code request} answered {@code status}: its entry, unless {@link #committed} wrote it with that status already. */
    void answered(HttpServletRequest request, int status) {
        if (!(request.getAttribute(RECORDED) instanceof Integer recorded && recorded == status)) {
            record(request, request.getMethod(), ApiPaths.of(request), status, dryRun.of(request), Written.besides(request, status));
        }
    }

    /**
     * The one place an entry is made: whether it was written, not for a node's own call nor an unauthenticated one, nor
     * when the insert failed.
     */
    private boolean record(HttpServletRequest request, String method, String path, int status, boolean dry, Integer written) {
        if (!(request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller) || caller instanceof Caller.Node) {
            return false;
        }
        String object = path.startsWith(API) ? path.substring(API.length()) : path;
        String[] s = object.split("/", -1);
        String namespace = s.length > 1 && s[0].equals("namespaces") && !s[1].isEmpty() ? s[1] : null;
        try {
            audit.record(new AuditEntry(0, null, caller.id(), caller.name(), method, path, namespace, object,
                    request.getRemoteAddr(), status, dry, written, RequestIdFilter.of(request)));
            return true;
        } catch (RuntimeException e) {
            log.error("could not record {} {} by {} in the audit log (request {}: {} {})", method, path, caller.name(),
                    RequestIdFilter.of(request), request.getMethod(), ApiPaths.of(request), e);
            return false;
        }
    }
}
