package dev.nanolet.platform.audit;

import dev.nanolet.platform.ForbiddenException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.AuditEntry;
import dev.nanolet.wire.AuditPage;
import dev.nanolet.wire.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/audit}: newest first, paged by {@code before} (an entry id), filtered by
 * {@code namespace} and {@code actor}. A cluster admin reads everything; an admin of a namespace
 * reads that namespace's entries and must name it.
 */
@RestController
class AuditApi {
    static final int MAX_LIMIT = 500;

    private final AuditLog audit;

    AuditApi(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/api/v1/audit")
    AuditPage page(@RequestParam(required = false) String namespace, @RequestParam(required = false) String actor,
            @RequestParam(required = false) Long before, @RequestParam(defaultValue = "100") int limit,
            HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (!caller.has(Role.admin, namespace)) {
            throw new ForbiddenException(namespace == null
                    ? "reading the whole audit log needs role admin cluster-wide; name a namespace where token "
                            + caller.name() + " is admin (?namespace=)"
                    : "reading the audit log of namespace " + namespace + " needs role admin in namespace " + namespace);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        List<AuditEntry> entries = audit.page(namespace, actor, before, limit);
        Long next = entries.size() == limit ? entries.getLast().id() : null;
        return new AuditPage(entries, next);
    }
}
