package dev.nanolet.agent.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The RFC 3875 meta-variables of one request, on top of the deployment's env. */
final class CgiEnvironment {

    /** What the env needs to know about the request; {@code headers} keeps every value of each name. */
    record Request(String method, String path, String rawQuery, Map<String, List<String>> headers,
            String remoteAddr, String serverName, int serverPort, int contentLength) {}

    private CgiEnvironment() {}

    /**
     * @param route the matched route prefix; {@code /} matches everything and becomes an empty SCRIPT_NAME
     */
    static Map<String, String> of(Request req, String route, Map<String, String> deploymentEnv) {
        String script = route.equals("/") ? "" : route;
        Map<String, String> env = new LinkedHashMap<>(deploymentEnv);
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("SERVER_SOFTWARE", "nanolet");
        env.put("REQUEST_METHOD", req.method());
        env.put("SCRIPT_NAME", script);
        env.put("PATH_INFO", req.path().substring(script.length()));
        env.put("QUERY_STRING", req.rawQuery() == null ? "" : req.rawQuery());
        env.put("REQUEST_URI", req.rawQuery() == null ? req.path() : req.path() + "?" + req.rawQuery());
        env.put("SERVER_NAME", req.serverName());
        env.put("SERVER_PORT", Integer.toString(req.serverPort()));
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("REMOTE_ADDR", req.remoteAddr());
        req.headers().forEach((name, values) -> {
            if (name.equalsIgnoreCase("Content-Type")) {
                env.put("CONTENT_TYPE", String.join(", ", values));
            }
            env.put("HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_'), String.join(", ", values));
        });
        if (req.contentLength() > 0) {
            env.put("CONTENT_LENGTH", Integer.toString(req.contentLength()));
        }
        return env;
    }

    /** Whether {@code route} serves {@code path}: the same path, or a path below it. */
    static boolean matches(String route, String path) {
        return route.equals("/") || path.equals(route) || path.startsWith(route + "/");
    }
}
