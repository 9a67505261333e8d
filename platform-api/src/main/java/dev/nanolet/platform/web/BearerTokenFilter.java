package dev.nanolet.platform.web;

import dev.nanolet.platform.database.DatabaseOutage;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /api/}: the admin token opens everything; the bootstrap token
 * ({@code NANOLET_NODE_TOKEN}) only registration; a node's own credential only what
 * {@link NodeTokenScope} allows for that node; an API token what its roles allow by
 * {@link ApiAccess} (never the node protocol); else 403. No or another token gets 401 with
 * {@code WWW-Authenticate}. Secrets are compared in constant time; node credentials and API
 * tokens are looked up by their SHA-256 (a node credential found is trusted for up to a second,
 * {@link RecentNodeIdentities}). The caller is left on the request as {@link Caller}, also
 * when refused, so that the audit log records the refusal.
 */
@Component
@Order(BodyLimitFilter.ORDER + 2)
class BearerTokenFilter extends OncePerRequestFilter {
    /** The {@code WWW-Authenticate} of every 401. */
    static final String CHALLENGE = "Bearer realm=\"nanolet\"";

    private final byte[] adminToken;
    private final byte[] bootstrapToken;
    private final RecentNodeIdentities nodes;
    private final ApiTokens apiTokens;
    private final Problems problems;

    BearerTokenFilter(AuthProperties auth, NodeIdentities nodes, ApiTokens apiTokens, Problems problems, Clock clock) {
        this.adminToken = auth.adminToken().getBytes(StandardCharsets.UTF_8);
        this.bootstrapToken = auth.nodeToken().getBytes(StandardCharsets.UTF_8);
        this.nodes = new RecentNodeIdentities(nodes, clock);
        this.apiTokens = apiTokens;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ApiPaths.isApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = ApiPaths.of(request);
        String token = BearerCredential.of(request);
        Optional<Caller> caller;
        try {
            caller = token == null ? Optional.empty() : authenticate(token);
        } catch (RuntimeException e) {
            if (!DatabaseOutage.is(e)) {
                throw e;
            }
            response.setHeader(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS);
            problems.write(response, path, 503, "Service Unavailable", ProblemAdvice.DATABASE_DOWN);
            return;
        }
        if (caller.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
            problems.write(response, path, 401, "Unauthorized", token == null
                    ? "send Authorization: Bearer <token>" : "the bearer token is not valid");
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        String refusal = switch (caller.get()) {
            case Caller.Admin a -> null;
            case Caller.Bootstrap b -> NodeTokenScope.bootstrapAllows(request.getMethod(), path) ? null
                    : "the bootstrap token may only register a node (POST /api/v1/nodes)";
            case Caller.Node n -> NodeTokenScope.allows(request.getMethod(), path, n.name()) ? null
                    : "node " + n.name() + " may only call the node protocol for itself";
            case Caller.Token t -> ApiAccess.refusal(t, request.getMethod(), path);
        };
        if (refusal != null) {
            problems.write(response, path, 403, "Forbidden", refusal);
            return;
        }
        chain.doFilter(request, response);
    }

    private Optional<Caller> authenticate(String token) {
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(bytes, adminToken)) {
            return Optional.of(new Caller.Admin());
        }
        if (MessageDigest.isEqual(bytes, bootstrapToken)) {
            return Optional.of(new Caller.Bootstrap());
        }
        if (token.startsWith(ApiTokens.PREFIX)) {
            return apiTokens.callerFor(token).map(Caller.class::cast);
        }
        return nodes.nodeFor(token).map(Caller.Node::new);
    }
}
