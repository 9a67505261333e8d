package dev.nanolet.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one canonical form of URL paths for routing. platform-api puts route paths in it before it
 * validates them and checks that no two deployments share one; node agents put both route paths
 * and request paths in it before they route, so a request reaches exactly the deployment whose
 * route its canonical path falls under, however it is spelled.
 *
 * <p>The canonical form of a path:
 * <ul>
 * <li>starts with {@code /}; segments are split on a literal {@code /} only, and empty segments
 *     ({@code //}) are dropped;</li>
 * <li>every percent-escape is decoded, then every byte that is not a {@code pchar} of RFC 3986
 *     (letters, digits, {@code -._~!$&'()*+,;=:@}) is encoded again as {@code %XX} with upper-case
 *     hex: one spelling per path ({@code %7e} is {@code ~}, {@code %3b} is {@code ;}, {@code é} and
 *     {@code %c3%a9} are {@code %C3%A9}, a literal space is {@code %20});</li>
 * <li>an encoded {@code /} ({@code %2F}), a {@code \} (literal or {@code %5C}), a control character
 *     (encoded or not) and a broken escape ({@code %}, {@code %zz}) are refused: each would let one
 *     path be read as two different paths by the node and by a module;</li>
 * <li>{@code .} and {@code ..} segments (also spelled {@code %2E}) are resolved in request paths as
 *     RFC 3986 §5.2.4 does, never above the root; route paths must not have them;</li>
 * <li>a request path keeps a trailing {@code /} (a module may tell {@code /dir/} from {@code /dir});
 *     a route path drops it: {@code /hello/} and {@code /hello} are one route.</li>
 * </ul>
 * A route serves its own path and every path below it on whole segments ({@link #serves}).
 */
public final class RoutePath {

    /** A path that has no canonical form; the message says why. */
    public static final class InvalidPathException extends IllegalArgumentException {
        InvalidPathException(String message) {
            super(message);
        }
    }

    private static final String PCHAR_SYMBOLS = "-._~!$&'()*+,;=:@";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private RoutePath() {}

    /** The canonical form of a request's raw (still encoded) path. */
    public static String ofRequest(String rawPath) {
        return canonical(rawPath, true);
    }

    /** The canonical form of a deployment's route path. */
    public static String ofRoute(String path) {
        String canonical = canonical(path, false);
        return canonical.length() > 1 && canonical.endsWith("/") ? canonical.substring(0, canonical.length() - 1) : canonical;
    }

    /** The node agent's own paths: no deployment may have a route at or under them, and no request to them is a workload's. */
    public static final List<String> RESERVED = List.of("/_nanolet", "/actuator");

    /** Whether canonical {@code path} is one of {@link #RESERVED} or below one. */
    public static boolean reserved(String path) {
        return RESERVED.stream().anyMatch(r -> serves(r, path));
    }

    /** Whether canonical {@code route} serves canonical {@code path}: the same path, or one below it. */
    public static boolean serves(String route, String path) {
        return route.equals("/") || path.equals(route) || path.startsWith(route + "/");
    }

    private static String canonical(String path, boolean resolveDots) {
        if (path == null || !path.startsWith("/")) {
            throw new InvalidPathException("must start with /");
        }
        String[] raw = path.substring(1).split("/", -1);
        List<String> segments = new ArrayList<>();
        boolean trailingSlash = false;
        for (String r : raw) {
            String segment = decodeSegment(r);
            trailingSlash = segment.isEmpty() || segment.equals(".") || segment.equals("..");
            if (segment.equals(".") || segment.equals("..")) {
                if (!resolveDots) {
                    throw new InvalidPathException("must not have . or .. segments");
                }
                if (segment.equals("..") && !segments.isEmpty()) {
                    segments.removeLast();
                }
            } else if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        String joined = "/" + String.join("/", segments);
        return trailingSlash && !segments.isEmpty() ? joined + "/" : joined;
    }

    /** Decodes one segment's escapes and encodes again every byte that is not a pchar. */
    private static String decodeSegment(String segment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        byte[] in = segment.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            int b = in[i] & 0xff;
            if (b == '%') {
                if (i + 2 >= in.length || Character.digit(in[i + 1], 16) < 0 || Character.digit(in[i + 2], 16) < 0) {
                    throw new InvalidPathException("has a broken percent-escape");
                }
                b = Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16);
                i += 2;
                if (b == '/') {
                    throw new InvalidPathException("must not have an encoded / (%2F)");
                }
            }
            if (b == '\\') {
                throw new InvalidPathException("must not have a \\ (or %5C)");
            }
            if (b < 0x20 || b == 0x7f) {
                throw new InvalidPathException("must not have control characters");
            }
            bytes.write(b);
        }
        return encode(bytes.toByteArray());
    }

    private static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte x : bytes) {
            int b = x & 0xff;
            if (b < 0x80 && (Character.isLetterOrDigit(b) || PCHAR_SYMBOLS.indexOf(b) >= 0)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }
}
