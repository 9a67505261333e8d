package dev.nanolet.agent.web;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * What the node makes of a request's {@code Host} fields before Reactor Netty and Spring read them ({@link RequestHosts}).
 * A request has one {@code Host} (none at all is allowed on HTTP/1.0 alone), and its value is a host as RFC 3986 spells one
 * in an {@code http} URI, with an optional port (RFC 9110 §7.2, RFC 9112 §3.2): a name of unreserved characters, sub-delims
 * and %-escapes (an IPv4 address is one), or an IPv6 address in brackets, then {@code :} and a port of 0 to 65535. The name
 * may not be empty (RFC 9110 §4.2.1), and neither may a port after a {@code :}, which Reactor Netty cannot read; an IPv6
 * zone ({@code %25eth0}) or an {@code IPvFuture} literal, which no {@code http} client sends, is refused too.
 */
enum HostVerdict {
    /** One {@code Host} that is a host, or none on HTTP/1.0. */
    PASSED(null),
    MISSING("an HTTP/1.1 request must have a Host field (RFC 9112 §3.2)"),
    REPEATED("a request must have one Host field, not several (RFC 9112 §3.2)"),
    NOT_A_HOST("the Host field is no host[:port]: a name of letters, digits and -._~!$&'()*+,;= or %-escapes, or an IPv6 "
            + "address in brackets, then an optional :port of 0 to 65535 (RFC 9110 §7.2, RFC 3986 §3.2.2)");

    /** The ASCII characters a name holds (RFC 3986 §3.2.2, reg-name: unreserved and sub-delims) but for {@code %}. */
    private static final boolean[] NAME = new boolean[128];

    static {
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=".chars().forEach(c -> NAME[c] = true);
    }

    private static final int MAX_PORT = 65_535;

    final String detail;

    HostVerdict(String detail) {
        this.detail = detail;
    }

    /** The verdict on the {@code Host} fields among {@code headers} of a request of {@code version}. */
    static HostVerdict of(HttpVersion version, HttpHeaders headers) {
        Iterator<String> hosts = headers.valueStringIterator(HttpHeaderNames.HOST);
        if (!hosts.hasNext()) {
            return HttpVersion.HTTP_1_0.equals(version) ? PASSED : MISSING;
        }
        String host = hosts.next();
        if (hosts.hasNext()) {
            return REPEATED;
        }
        return isHost(host) ? PASSED : NOT_A_HOST;
    }

    /** Whether {@code value} is a non-empty host and an optional port, by one scan of its characters (an IPv6 address by {@link URI}). */
    static boolean isHost(String value) {
        boolean literal = value.startsWith("[");
        int end = literal ? value.indexOf(']') + 1 : name(value);
        if (end <= 0 || literal && !ipv6(value, end)) {
            return false;
        }
        return end == value.length() || value.charAt(end) == ':' && port(value, end + 1);
    }

    /** The end of the name {@code value} starts with (its first {@code :}, else its length), or -1 if it holds what no name holds. */
    private static int name(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':') {
                return i;
            }
            boolean escape = c == '%' && i + 2 < value.length() && HexFormat.isHexDigit(value.charAt(i + 1))
                    && HexFormat.isHexDigit(value.charAt(i + 2));
            if (escape) {
                i += 2;
            } else if (c >= NAME.length || !NAME[c]) {
                return -1;
            }
        }
        return value.length();
    }

    /**
     * Whether {@code value} up to {@code end} is {@code [}, an IPv6 address without zone, and {@code ]}, as {@link URI}, which
     * Spring builds the request's URI with, reads one: every form RFC 3986 allows, an IPv4 tail after any prefix too
     * ({@code [64:ff9b::192.0.2.1]}, which Netty's {@code NetUtil} refused).
     */
    private static boolean ipv6(String value, int end) {
        String literal = value.substring(0, end);
        try {
            return literal.indexOf('%') < 0 && new URI("http://" + literal + "/").getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Whether {@code value} from {@code from} on is a port: one or more ASCII digits whose number is at most 65535. */
    private static boolean port(String value, int from) {
        int port = 0;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
            if (port > MAX_PORT) {
                return false;
            }
        }
        return from < value.length();
    }
}
