package dev.nanolet.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before anything reads it, a query string on {@code /api/} that holds text PostgreSQL cannot store or
 * Tomcat cannot decode: a NUL ({@code ?actor=%00}), which PostgreSQL refused as "invalid byte sequence" when a filter
 * reached SQL, and a percent-encoding that is not UTF-8 ({@code %FF}, the overlong {@code %C0%AF}, a lone surrogate
 * {@code %ED%A0%80}) or not a percent-encoding ({@code %zz}), which Tomcat's parameter parser threw on: both were 500.
 * Now 400 problem+json with {@code errors} naming the parameter, the rule {@link JsonInputRules} holds for bodies.
 * Every parameter is checked, read by its endpoint or not, since one bad spelling makes Tomcat refuse them all. A path
 * is not read here: one Tomcat cannot decode is its 400 before the API, and one with a dot or empty segment is
 * {@link DotSegmentFilter}'s 400 before this filter runs. Header values are ISO-8859-1 text, which PostgreSQL stores.
 */
@Component
@Order(QueryTextFilter.ORDER)
class QueryTextFilter extends OncePerRequestFilter {
    static final int ORDER = BodyLimitFilter.ORDER - 1;
    static final String NUL = JsonInputRules.NUL;
    static final String NOT_UTF8 = "must be UTF-8 text, percent-encoded (%FF, an overlong or a surrogate's encoding is not)";
    static final String NOT_ENCODED = "has a '%' that does not start a percent-encoding (%XX, two hex digits)";

    private final Problems problems;

    QueryTextFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getQueryString() == null || !ApiPaths.isApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Fault> fault = firstFault(request.getQueryString());
        if (fault.isPresent()) {
            problems.write(response, ApiPaths.of(request), 400, "Bad Request",
                    fault.get().parameter() + ": " + fault.get().message(), fault.get().parameter(), fault.get().message());
            return;
        }
        chain.doFilter(request, response);
    }

    /** A parameter's name as it reads decoded (its spelling when that does not decode) and what is wrong with it. */
    record Fault(String parameter, String message) {}

    /** The first parameter of {@code query} whose name or value cannot be text PostgreSQL stores, if any. */
    static Optional<Fault> firstFault(String query) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name;
            try {
                name = decode(rawName);
            } catch (Refusal r) {
                return Optional.of(new Fault(rawName, r.getMessage()));
            }
            if (name.indexOf('\0') >= 0) {
                return Optional.of(new Fault(name, "its name " + NUL));
            }
            try {
                if (eq >= 0 && decode(pair.substring(eq + 1)).indexOf('\0') >= 0) {
                    return Optional.of(new Fault(name, NUL));
                }
            } catch (Refusal r) {
                return Optional.of(new Fault(name, r.getMessage()));
            }
        }
        return Optional.empty();
    }

    /** Decodes as Tomcat does ({@code +} is a space, {@code %XX} a byte, the bytes UTF-8), refusing what it would fail on. */
    private static String decode(String raw) throws Refusal {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || !HexFormat.isHexDigit(raw.charAt(i + 1)) || !HexFormat.isHexDigit(raw.charAt(i + 2))) {
                    throw new Refusal(NOT_ENCODED);
                }
                bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c == '+' ? ' ' : c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new Refusal(NOT_UTF8);
        }
    }

    private static final class Refusal extends Exception {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
