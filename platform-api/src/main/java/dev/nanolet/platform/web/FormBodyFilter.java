package dev.nanolet.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a form body on {@code /api/}, 415, before the bearer check, the audit or any handler runs. Tomcat reads an
 * {@code application/x-www-form-urlencoded} POST body as request parameters (Spring's form filter a PUT's, PATCH's or
 * DELETE's), and Spring reads the parts of any {@code multipart/} body as parameters too, so a form could carry
 * {@code dryRun=}, {@code wait=} or {@code force} that the URL did not, and a {@code secrets:rotate} with any form
 * body ran the rotation. The API reads JSON, YAML, Wasm and, for a module upload only, {@code multipart/form-data}.
 */
@Component
@Order(FormBodyFilter.ORDER)
class FormBodyFilter extends OncePerRequestFilter {
    static final int ORDER = QueryTextFilter.ORDER - 1;
    static final String TAKES = "the API takes application/json (application/yaml for apply and diff; application/wasm or "
            + "multipart/form-data for a module upload, POST /api/v1/modules)";
    static final String FORM = "a form body (application/x-www-form-urlencoded) is not read here: " + TAKES;
    static final String MULTIPART = "a multipart body is read by the module upload only: " + TAKES;

    private final Problems problems;

    FormBodyFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = ApiPaths.isApi(request) && request.getContentType() != null ? refusal(request) : null;
        if (refusal == null) {
            chain.doFilter(request, response);
        } else {
            problems.write(response, ApiPaths.of(request), 415, "Unsupported Media Type", refusal);
        }
    }

    /**
     * Why the body of {@code request} is refused, or null when it is not a form. A form type without a body
     * ({@code Content-Length: 0}, what {@code curl -X POST -d ''} sends to an endpoint without a body such as
     * {@code secrets:rotate}, or neither a length nor chunks, as on a GET) holds no value to be read as a parameter, so it
     * is let through; a chunked one, whose length is not known, is not.
     */
    private static String refusal(HttpServletRequest request) {
        String type = mediaType(request.getContentType());
        if (type.equals("application/x-www-form-urlencoded")) {
            boolean bodyless = request.getContentLengthLong() == 0
                    || request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") == null;
            return bodyless ? null : FORM;
        }
        return type.startsWith("multipart/") && !ApiPaths.isUpload(request) ? MULTIPART : null;
    }

    /** The type and subtype, lower case, without parameters: what Tomcat and Spring compare to decide on parsing. */
    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
