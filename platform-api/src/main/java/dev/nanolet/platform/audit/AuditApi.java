package dev.nanolet.platform.audit;

import dev.nanolet.platform.BadRequestException;
import dev.nanolet.platform.ForbiddenException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.dryrun.DryRun;
import dev.nanolet.platform.web.ApiTokens;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.AuditEntry;
import dev.nanolet.wire.AuditPage;
import dev.nanolet.wire.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/audit}: newest first, paged by {@code before} (an entry id), filtered by
 * {@code namespace}, {@code actor}, {@code dryRun} ({@code true} or {@code false}, nothing else: {@link StrictBoolean})
 * and {@code requestId} (exactly; one no request could have, not {@link RequestIdFilter#sane}, is a 400).
 * A cluster admin reads everything; an admin of a namespace reads that namespace's entries and must name it, those
 * of actors that hold no role there without saying who they are ({@link NamespaceView}): {@code actor} and
 * {@code requestId} select none of theirs.
 */
@RestController
class AuditApi {
    private final AuditLog audit;
    private final ApiTokens tokens;

    AuditApi(AuditLog audit, ApiTokens tokens) {
        this.audit = audit;
        this.tokens = tokens;
    }

    /** {@code dryRun} is read strictly: Spring's own conversion also takes {@code yes}, {@code on}, {@code 1} and spaces. */
    @InitBinder(DryRun.PARAMETER)
    void strictDryRun(WebDataBinder binder) {
        binder.registerCustomEditor(Boolean.class, new StrictBoolean());
    }

    @GetMapping("/api/v1/audit")
    AuditPage page(@RequestParam(required = false) String namespace, @RequestParam(required = false) String actor,
            @RequestParam(name = DryRun.PARAMETER, required = false) Boolean dryRun,
            @RequestParam(required = false) String requestId,
            @RequestParam(required = false) Long before, @RequestParam(defaultValue = "100") int limit,
            HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (!caller.has(Role.admin, namespace)) {
            throw new ForbiddenException(namespace == null
                    ? "reading the whole audit log needs role admin cluster-wide; name a namespace where token "
                            + caller.name() + " is admin (?namespace=)"
                    : "reading the audit log of namespace " + namespace + " needs role admin in namespace " + namespace);
        }
        if (limit < 1 || limit > AuditPage.MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + AuditPage.MAX_LIMIT);
        }
        if (requestId != null && !requestId.isEmpty() && !RequestIdFilter.sane(requestId)) {
            throw new BadRequestException("requestId", "must be 1 to " + RequestIdFilter.MAX_LENGTH
                    + " visible ASCII characters, as a request's id is");
        }
        NamespaceView view = caller.has(Role.admin, null) ? null : NamespaceView.of(tokens, namespace);
        List<AuditEntry> entries = audit.page(new AuditLog.Filter(namespace, actor, dryRun,
                requestId == null || requestId.isEmpty() ? null : requestId, view == null ? null : view.named()), before, limit);
        if (view != null) {
            entries = entries.stream().map(view::show).toList();
        }
        Long next = entries.size() == limit ? entries.getLast().id() : null;
        return new AuditPage(entries, next);
    }
}
