package dev.nanolet.platform.audit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, before any other filter answers it: every audit entry the request writes carries it
 * ({@link RequestAudit}), so that the two entries of one waited write, or an apply's and its documents', are told apart
 * from another request's of the same actor, method and path, and its answer says it in {@code X-Request-Id}. The id is
 * the client's own {@code X-Request-Id} when it sent one that is sane ({@link #sane}: once, 1 to
 * {@value #MAX_LENGTH} visible ASCII characters), else a new random UUID: a longer one, one with a space, a control
 * character or a character outside ASCII, or two, are replaced, never stored, and the answer's header says which id
 * the request got.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {
    static final String HEADER = "X-Request-Id";
    static final int MAX_LENGTH = 128;

    private static final String ATTRIBUTE = RequestIdFilter.class.getName();
    private static final Pattern SANE = Pattern.compile("[!-~]{1," + MAX_LENGTH + "}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<String> sent = Collections.list(request.getHeaders(HEADER));
        String id = sent.size() == 1 && sane(sent.getFirst()) ? sent.getFirst() : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        chain.doFilter(request, response);
    }

    /** Whether a client's {@code id} is kept: 1 to {@value #MAX_LENGTH} characters, each visible ASCII ({@code !} to {@code ~}). */
    static boolean sane(String id) {
        return SANE.matcher(id).matches();
    }

    /** The id of {@code request}; null for one this filter did not see. */
    static String of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof String id ? id : null;
    }
}
