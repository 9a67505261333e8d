package dev.nanolet.platform.audit;

import dev.nanolet.platform.dryrun.DryRunIntent;
import dev.nanolet.platform.web.ApiPaths;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.AuditEntry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * endpoint takes ({@link DryRunIntent}), the same wherever it was answered or refused (a 403 here in the bearer filter
 * or inside {@code POST /apply}); a refused {@code dryRun} (400) is not one. A write done before the request answered
 * otherwise (a wait that ended 401, 422, 503) is recorded with the status answered and, as {@code written}, the write's
 * own ({@link Written}). Writing the entry failing is logged and does not change the answer: the write it describes has
 * already happened.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 11)
class AuditFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String API = "/api/v1/";

    private final AuditLog audit;
    private final DryRunIntent dryRun;

    AuditFilter(AuditLog audit, DryRunIntent dryRun) {
        this.audit = audit;
        this.dryRun = dryRun;
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
            if (request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller && !(caller instanceof Caller.Node)) {
                record(request, caller, status);
            }
        }
    }

    private void record(HttpServletRequest request, Caller caller, int status) {
        String path = ApiPaths.of(request);
        String object = path.startsWith(API) ? path.substring(API.length()) : path;
        String[] s = object.split("/", -1);
        String namespace = s.length > 1 && s[0].equals("namespaces") && !s[1].isEmpty() ? s[1] : null;
        try {
            audit.record(new AuditEntry(0, null, caller.id(), caller.name(), request.getMethod(), path, namespace,
                    object, request.getRemoteAddr(), status, dryRun.of(request), Written.besides(request, status)));
        } catch (RuntimeException e) {
            log.error("could not record {} {} by {} in the audit log", request.getMethod(), path, caller.name(), e);
        }
    }
}
