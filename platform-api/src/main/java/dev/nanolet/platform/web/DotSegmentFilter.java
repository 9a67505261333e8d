package dev.nanolet.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, 400, a path with a {@code .} or {@code ..} segment (written so, or {@code %2e}, with or without a
 * {@code ;param}) or an empty one ({@code //}) before anything else reads it. Three readers saw three paths: Tomcat
 * resolved the segments, the filters ({@link BearerTokenFilter}'s {@code /api/} boundary, {@link ApiAccess}) read them
 * decoded as they stand with {@code //} made one, and the handlers matched the raw segments, so
 * {@code GET /api/v1/%2e%2e/%2e%2e/x} was a 401 naming {@code /api/v1/../../x} without a token and a 404 with one, and
 * {@code //api/v1/audit} a 404 saying there is no {@code /api/v1/audit}. No path of the API has such a segment.
 */
@Component
@Order(FormBodyFilter.ORDER - 1)
class DotSegmentFilter extends OncePerRequestFilter {
    /** A segment, between two slashes or after the last, that is empty, {@code .} or {@code ..}, with any {@code ;param}. */
    private static final Pattern ODD = Pattern.compile("/(?:(?:\\.|%2[eE]){1,2})?(?:;[^/]*)?(?:/|$)");
    static final String REFUSED = "the request's path has a segment that is empty (//), . or .. (also as %2e), which no"
            + " path of the API has: send the path as it is meant";

    private final Problems problems;

    DotSegmentFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !hasOddSegment(request.getRequestURI());
    }

    /** Reached only for a path with such a segment: refused, named as sent. */
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        problems.write(response, request.getRequestURI(), 400, "Bad Request", REFUSED);
    }

    /** Whether {@code rawPath} (not decoded) has an empty, {@code .} or {@code ..} segment before its end. */
    static boolean hasOddSegment(String rawPath) {
        String path = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        return !path.isEmpty() && ODD.matcher(path).find();
    }
}
