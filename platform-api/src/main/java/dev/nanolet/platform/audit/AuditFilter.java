package dev.nanolet.platform.audit;

import dev.nanolet.platform.web.ApiPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Audits every write ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) under {@code /api/}
 * by an authenticated caller, refused ones included, after the answer is known. Runs around the
 * bearer filter (which sets the caller, also when it refuses), inside the body limit. A node's own
 * calls (lease renewals, status reports: the node protocol, several a second) are not audited; a
 * registration with the bootstrap token is. An entry is a dry run's when the request asked for one in a form its
 * endpoint takes ({@link dev.nanolet.platform.dryrun.DryRunIntent}), the same wherever it was answered or refused (a 403 here in the bearer filter
 * or inside {@code POST /apply}); a refused {@code dryRun} (400) is not one. A write whose handler recorded its entry
 * once committed, before a wait ({@link RequestAudit#committed}), gets a second one only when the request then answered
 * otherwise (a wait that ended 401, 422, 503), with the status answered and, as {@code written}, the write's own
 * ({@link Written}). Writing the entry failing is logged and does not change the answer: the write it describes has
 * already happened.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 11)
class AuditFilter extends OncePerRequestFilter {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final RequestAudit entries;

    AuditFilter(RequestAudit entries) {
        this.entries = entries;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WRITES.contains(request.getMethod()) || !ApiPaths.isApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int status = 500;
        try {
            chain.doFilter(request, response);
            status = response.getStatus();
            if (status >= 500 && !request.isAsyncStarted()) {
                response.flushBuffer(); // the database may be down: the client is not kept waiting for the audit row's connection
            }
        } finally {
            entries.answered(request, status);
        }
    }
}
