package dev.nanolet.agent.web;

import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HexFormat;
import org.springframework.http.HttpStatus;

/**
 * What the node makes of a request's method and target before Spring sees them ({@link RequestTargets}). Spring takes a
 * target as HTTP/1.1 means it only in origin form ({@code /a?q}, what every client but a proxy sends) and in absolute form
 * with an {@code http} or {@code https} scheme ({@code http://host/a?q}, what a client sends a proxy; Spring keeps what
 * follows the authority): any other target it writes whole behind the request's scheme and host, where part of it is
 * read as the host ({@code x/a} reached the route {@code /a}) or fails the parse (a bare 400). So only those two forms are
 * left to Spring, and only if they are URIs; every other target is in no form HTTP/1.1 allows (RFC 9112 §3.2) but
 * {@code *} on {@code OPTIONS}, which the node answers itself, and {@code CONNECT}'s authority form: the node opens no
 * tunnel, so a {@code CONNECT} is refused whatever its target.
 */
enum TargetVerdict {
    /** Spring's to route. */
    PASSED(null, null),
    NOT_A_URI(HttpStatus.BAD_REQUEST, "the request target is not a URI (a literal \\, a broken %-escape or another character no URI holds)"),
    IN_NO_FORM(HttpStatus.BAD_REQUEST, "the request target is in no form HTTP/1.1 allows: a path from /, an http:// or https:// URI, "
            + "or * on OPTIONS"),
    NO_TUNNEL(HttpStatus.METHOD_NOT_ALLOWED, "the node is no proxy and opens no tunnel: it serves no CONNECT"),
    /** {@code OPTIONS *}: a question about the node as a whole (RFC 9110 §9.3.7). */
    SERVER_OPTIONS(HttpStatus.OK, null);

    /** The ASCII characters {@link URI} takes anywhere in a path and in a query (RFC 2396 §3.3, §3.4: unreserved, and the reserved a path holds). */
    private static final boolean[] PLAIN = new boolean[128];

    static {
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()/?:@&=+$,;".chars().forEach(c -> PLAIN[c] = true);
    }

    final HttpStatus status;
    final String detail;

    TargetVerdict(HttpStatus status, String detail) {
        this.status = status;
        this.detail = detail;
    }

    /**
     * The verdict on {@code target} under {@code method}. A target in origin form goes straight to the scan of its characters,
     * so the data plane's usual request costs what it did before forms were told apart.
     */
    static TargetVerdict of(HttpMethod method, String target) {
        if (HttpMethod.CONNECT.equals(method)) {
            return NO_TUNNEL;
        }
        if (target.startsWith("/")) {
            return parses(target, 0) ? PASSED : NOT_A_URI;
        }
        int authority = target.regionMatches(true, 0, "http://", 0, 7) ? 7 : target.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
        if (authority > 0) {
            return parses(target, pathStart(target, authority)) ? PASSED : NOT_A_URI;
        }
        return target.equals("*") && HttpMethod.OPTIONS.equals(method) ? SERVER_OPTIONS : IN_NO_FORM;
    }

    /**
     * Whether what Spring writes of {@code target} behind a scheme and host, from {@code from} on, parses as Spring parses it.
     * It is parsed only if it holds a character outside {@link #PLAIN} or a {@code %} not followed by two hex digits: what
     * nearly every request's target holds parses, so it is passed on without a URI built and thrown away.
     */
    private static boolean parses(String target, int from) {
        if (plain(target, from)) {
            return true;
        }
        try {
            new URI("http://localhost" + target.substring(from));
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The index of the first {@code /}, {@code ?} or {@code #} of {@code target} from {@code from} on, where Spring's path starts; its length if none. */
    private static int pathStart(String target, int from) {
        int i = from;
        while (i < target.length() && "/?#".indexOf(target.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    private static boolean plain(String target, int from) {
        for (int i = from; i < target.length(); i++) {
            char c = target.charAt(i);
            boolean escape = c == '%' && i + 2 < target.length()
                    && HexFormat.isHexDigit(target.charAt(i + 1)) && HexFormat.isHexDigit(target.charAt(i + 2));
            if (escape) {
                i += 2;
            } else if (c >= PLAIN.length || !PLAIN[c]) {
                return false;
            }
        }
        return true;
    }
}
