package dev.nanolet.wire;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The environment names a node agent sets for an HTTP request (RFC 3875's CGI): the meta-variables
 * and {@code HTTP_<NAME>}, one per request header the client chose ({@link #ofHeader}, which the node
 * uses to name them, so the rule below is the node's own). platform-api refuses them as the {@code env}
 * names of a deployment that serves HTTP (a job gets none of them), because the deployment's own value
 * would either hide the request's or, were the request's to win, be replaceable by any anonymous client
 * ({@code Upstream:} setting {@code HTTP_UPSTREAM}); the node lets the deployment's {@code HTTP_*} win,
 * and its own meta-variables, for specs stored before this check.
 */
public final class CgiVariables {

    /** Header fields become {@code HTTP_} and the field name, upper case, {@code -} as {@code _}. */
    public static final String HEADER_PREFIX = "HTTP_";

    /** The meta-variables the node sets besides the {@code HTTP_*} ones. */
    public static final Set<String> META = Set.of("GATEWAY_INTERFACE", "SERVER_SOFTWARE", "REQUEST_METHOD", "SCRIPT_NAME",
            "PATH_INFO", "QUERY_STRING", "REQUEST_URI", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR",
            "CONTENT_TYPE", "CONTENT_LENGTH");

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9-]+");

    private CgiVariables() {}

    /**
     * The {@code HTTP_*} variable the header field {@code field} becomes, or empty if it becomes none:
     * {@code Content-Type} and {@code Content-Length} are {@code CONTENT_TYPE}/{@code CONTENT_LENGTH} only
     * (§4.1.18), {@code Proxy} would become {@code HTTP_PROXY}, which HTTP libraries read as their proxy, and a
     * name with characters other than letters, digits and {@code -} ({@code X_Forwarded_For}) would pass for
     * another ({@code X-Forwarded-For}). Hop-by-hop fields, which depend on the request, are the node's to drop.
     */
    public static Optional<String> ofHeader(String field) {
        String lower = field.toLowerCase(Locale.ROOT);
        if (lower.equals("content-type") || lower.equals("content-length") || lower.equals("proxy") || !TOKEN.matcher(field).matches()) {
            return Optional.empty();
        }
        return Optional.of(HEADER_PREFIX + field.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Whether the node may set {@code name} for a request (names are case-sensitive, as in WASI). */
    public static boolean isPerRequest(String name) {
        return META.contains(name) || name.startsWith(HEADER_PREFIX)
                && ofHeader(name.substring(HEADER_PREFIX.length()).replace('_', '-')).filter(name::equals).isPresent();
    }
}
