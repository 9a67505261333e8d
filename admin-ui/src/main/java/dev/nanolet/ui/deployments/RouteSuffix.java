package dev.nanolet.ui.deployments;

import java.nio.charset.StandardCharsets;

/**
 * What "try it" appends to a route's path, made into a valid path and query as a browser's
 * address bar would: {@code search?q=hello world} is sent as {@code search?q=hello%20world}.
 * Characters a URL may not carry there (space, {@code <}, {@code "}, non-ASCII …) are
 * percent-encoded as UTF-8; escapes already typed ({@code %20}) are kept; {@code #} is encoded,
 * never a fragment. A {@code %} that does not start an escape cannot be meant any one way, so
 * it is refused with {@link NotAPath}.
 */
final class RouteSuffix {
    private static final String PATH_CHARS = "-._~!$&'()*+,;=:@/";
    private static final String QUERY_CHARS = PATH_CHARS + "?";

    private RouteSuffix() {}

    /** The suffix cannot be made into a path and query; the message says why, for the person who typed it. */
    static final class NotAPath extends IllegalArgumentException {
        NotAPath(String message) {
            super(message);
        }
    }

    /** {@code path} (a route, already canonical) joined with the typed {@code suffix}, encoded. */
    static String join(String path, String suffix) {
        String s = suffix == null ? "" : suffix.strip();
        if (s.isEmpty()) {
            return path;
        }
        int query = s.indexOf('?');
        String encodedPath = encode(query < 0 ? s : s.substring(0, query), PATH_CHARS);
        refuseDotSegments(encodedPath);
        String encoded = query < 0 ? encodedPath : encodedPath + "?" + encode(s.substring(query + 1), QUERY_CHARS);
        return path.endsWith("/") || encoded.startsWith("/") || encoded.startsWith("?") ? path + encoded : path + "/" + encoded;
    }

    /**
     * A {@code .} or {@code ..} segment, typed or escaped ({@code %2e%2E}), is not sent: the node resolves it, so
     * {@code ../other} left this deployment's route for another's (and, with a route URL that has a path of its own,
     * left that path), while the page said it tried this one.
     */
    private static void refuseDotSegments(String encodedPath) {
        for (String segment : encodedPath.split("/", -1)) {
            String plain = segment.replaceAll("(?i)%2e", ".");
            if (plain.equals(".") || plain.equals("..")) {
                throw new NotAPath("a path segment " + segment + " is not sent: it would leave the route for another");
            }
        }
    }

    private static String encode(String text, String allowed) {
        StringBuilder out = new StringBuilder();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            char c = (char) (bytes[i] & 0xff);
            if (c == '%') {
                if (i + 2 >= bytes.length || !isHex(bytes[i + 1]) || !isHex(bytes[i + 2])) {
                    throw new NotAPath("a % must start an escape such as %20 (type %25 for a % itself)");
                }
                out.append(c);
            } else if (c < 0x80 && (Character.isLetterOrDigit(c) || allowed.indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
