package dev.nanolet.wire;

import java.util.Set;

/**
 * The environment names a node agent sets for every HTTP request (RFC 3875's CGI): the meta-variables
 * and {@code HTTP_<NAME>}, one per request header the client chose. platform-api refuses them as a
 * deployment's {@code env} names, because the deployment's own value would either hide the request's
 * or, were the request's to win, be replaceable by any anonymous client ({@code Upstream:} setting
 * {@code HTTP_UPSTREAM}); the node lets the deployment's win for specs stored before this check.
 */
public final class CgiVariables {

    /** Header fields become {@code HTTP_} and the field name, upper case, {@code -} as {@code _}. */
    public static final String HEADER_PREFIX = "HTTP_";

    /** The meta-variables the node sets besides the {@code HTTP_*} ones. */
    public static final Set<String> META = Set.of("GATEWAY_INTERFACE", "SERVER_SOFTWARE", "REQUEST_METHOD", "SCRIPT_NAME",
            "PATH_INFO", "QUERY_STRING", "REQUEST_URI", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR",
            "CONTENT_TYPE", "CONTENT_LENGTH");

    private CgiVariables() {}

    /** Whether the node may set {@code name} for a request (names are case-sensitive, as in WASI). */
    public static boolean isPerRequest(String name) {
        return name.startsWith(HEADER_PREFIX) || META.contains(name);
    }
}
