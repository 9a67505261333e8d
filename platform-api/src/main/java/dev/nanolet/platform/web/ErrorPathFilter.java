package dev.nanolet.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request for {@code /error} itself is a 404 problem like any path the API does not have. Spring Boot
 * maps {@code /error} for the container's error dispatches, which go on as before (this filter sees
 * requests only); requested directly, it answered 500 with Spring's own body (status 999), or a
 * Whitelabel page to a browser. It runs first but for the request id (the audit's), which its answer carries too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ErrorPathFilter extends OncePerRequestFilter {
    private final Problems problems;

    ErrorPathFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = ApiPaths.of(request);
        return !path.equals("/error") && !path.startsWith("/error/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        String path = ApiPaths.of(request);
        problems.write(response, path, HttpServletResponse.SC_NOT_FOUND, "Not Found",
                "no endpoint " + request.getMethod() + " " + path + "; docs/api.md lists them");
    }
}
