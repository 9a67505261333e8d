package dev.nanolet.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guards {@code /api/}: the admin token opens everything, the node token only what
 * {@link NodeTokenScope} allows (else 403); no or another token gets 401 with
 * {@code WWW-Authenticate}. Both answers are problem details, written here because they
 * never reach a controller.
 */
@Component
class BearerTokenFilter extends OncePerRequestFilter {
    private static final String PREFIX = "Bearer ";

    private final byte[] adminToken;
    private final byte[] nodeToken;
    private final JsonMapper json;

    BearerTokenFilter(AuthProperties auth, JsonMapper json) {
        this.adminToken = auth.adminToken().getBytes(StandardCharsets.UTF_8);
        this.nodeToken = auth.nodeToken().getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !UrlPathHelper.defaultInstance.getPathWithinApplication(request).startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = UrlPathHelper.defaultInstance.getPathWithinApplication(request);
        byte[] token = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (token != null && MessageDigest.isEqual(token, adminToken)) {
            chain.doFilter(request, response);
        } else if (token != null && MessageDigest.isEqual(token, nodeToken)) {
            if (NodeTokenScope.allows(request.getMethod(), path)) {
                chain.doFilter(request, response);
            } else {
                reject(response, path, 403, "Forbidden", "the node token may only call the node protocol");
            }
        } else {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"nanolet\"");
            reject(response, path, 401, "Unauthorized", token == null
                    ? "send Authorization: Bearer <token>" : "the bearer token is not valid");
        }
    }

    private static byte[] bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        return header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
    }

    private void reject(HttpServletResponse response, String path, int status, String title, String detail)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", path);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
