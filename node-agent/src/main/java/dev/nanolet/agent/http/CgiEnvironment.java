package dev.nanolet.agent.http;

import dev.nanolet.wire.CgiVariables;
import dev.nanolet.wire.Digits;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.web.util.UriUtils;

/**
 * The RFC 3875 meta-variables of one request ({@link CgiVariables} names them all); the replica adds
 * them to the deployment's env: the meta-variables in place of the deployment's, {@code HTTP_*} never
 * ({@link dev.nanolet.agent.replica.LocalReplica#invoke}). Choices where the RFC leaves room: {@code PATH_INFO} is percent-decoded
 * (§4.1.5; left raw if the encoding is broken), {@code QUERY_STRING} stays raw; {@code REQUEST_URI}
 * (not in RFC 3875, which derives everything from the server's own view of the URI) is the
 * canonical path the request was routed by plus the raw query, so it is the same whether the
 * request ran on the node it reached or was forwarded (which sends the canonical path); every header becomes the {@code HTTP_<NAME>} that
 * {@link CgiVariables#ofHeader} names, if any (repeated values joined with {@code ", "}, cookies with
 * {@code "; "}; not {@code Content-Type}, {@code Content-Length}, {@code Proxy} or odd names), except hop-by-hop fields ({@link HopByHop}: proxy
 * credentials, {@code Connection} and every field it names, which the client meant for the node alone).
 * {@code Authorization} is passed on: the
 * module is the application and does its own authentication.
 */
final class CgiEnvironment {

    /**
     * What the env needs to know about the request; {@code headers} keeps every value of each name.
     *
     * @param path the canonical path ({@link dev.nanolet.wire.RoutePath#ofRequest}) the request was routed by
     */
    record Request(String method, String path, String rawQuery, Map<String, List<String>> headers,
            String remoteAddr, String serverName, int serverPort, int contentLength) {}

    private static final int MAX_PORT = 65_535;

    private CgiEnvironment() {}

    /**
     * @param route the matched route prefix; {@code /} matches everything and becomes an empty SCRIPT_NAME
     */
    static Map<String, String> of(Request req, String route) {
        String script = route.equals("/") ? "" : route;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("SERVER_SOFTWARE", "nanolet");
        env.put("REQUEST_METHOD", req.method());
        env.put("SCRIPT_NAME", script);
        env.put("PATH_INFO", decode(req.path().substring(script.length())));
        env.put("QUERY_STRING", req.rawQuery() == null ? "" : req.rawQuery());
        env.put("REQUEST_URI", req.rawQuery() == null ? req.path() : req.path() + "?" + req.rawQuery());
        env.put("SERVER_NAME", req.serverName());
        env.put("SERVER_PORT", Integer.toString(req.serverPort()));
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("REMOTE_ADDR", req.remoteAddr());
        Predicate<String> hopByHop = HopByHop.in(req.headers());
        req.headers().forEach((name, values) -> {
            if (name.equalsIgnoreCase("Content-Type")) {
                env.put("CONTENT_TYPE", String.join(", ", values));
            } else if (!hopByHop.test(name)) {
                CgiVariables.ofHeader(name).ifPresent(variable ->
                        env.put(variable, String.join(name.equalsIgnoreCase("Cookie") ? "; " : ", ", values)));
            }
        });
        if (req.contentLength() > 0) {
            env.put("CONTENT_LENGTH", Integer.toString(req.contentLength()));
        }
        return env;
    }

    /** SERVER_NAME: the host the client asked for ({@code Host} without its port, if it names one), else {@code localhost}. */
    static String serverName(String host) {
        return host == null || host.isBlank() ? "localhost" : host.substring(0, portColon(host));
    }

    /** SERVER_PORT: the port in {@code Host} if it names one from 1 to 65535, else the port the request came in on. */
    static int serverPort(String host, int localPort) {
        int colon = host == null ? -1 : portColon(host);
        long port = colon < 0 || colon == host.length() ? 0 : Digits.parse(host.substring(colon + 1), Digits.MAX_DIGITS).orElse(0);
        return port >= 1 && port <= MAX_PORT ? (int) port : localPort;
    }

    /**
     * Where the port of {@code host} starts (its {@code :}), or its length if it names none. A {@code Host} that reaches a
     * module is one the node checked ({@code web.RequestHosts}): a name or an IPv6 address in brackets, which holds colons
     * of its own, then an optional {@code :} and port, so the port's {@code :} is the last one, after any {@code ]}.
     */
    private static int portColon(String host) {
        int colon = host.lastIndexOf(':');
        return colon < 0 || colon < host.lastIndexOf(']') ? host.length() : colon;
    }

    private static String decode(String path) {
        try {
            return UriUtils.decode(path, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }
}
