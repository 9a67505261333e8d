package dev.nanolet.agent.bindings;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Where a binding's database is, read from its secret's values: {@code url} (a {@code jdbc:postgresql://}
 * URL, or a {@code postgresql://user:password@host:port/db} URI) with {@code user} and {@code password},
 * or the parts {@code host}, {@code port} (5432), {@code database}, {@code user}, {@code password}.
 *
 * pgjdbc lets a URL's parameters win over the properties the node sets ({@link Pool}), so a URL may carry
 * only {@link #URL_PARAMETERS}: others would undo the node's bounds ({@code maxResultBuffer},
 * {@code defaultRowFetchSize}, {@code cancelSignalTimeout}, {@code autosave}, {@code socketTimeout}…) or
 * load classes and files of the node ({@code sslfactory}, {@code socketFactory}, {@code sslrootcert}…).
 */
record Target(String jdbcUrl, String user, String password) {

    /** The URL parameters a tenant may set: where the server is and how TLS is used. */
    static final Set<String> URL_PARAMETERS = Set.of("ssl", "sslmode", "ApplicationName", "connectTimeout", "targetServerType",
            "currentSchema");
    /** The most seconds a URL's {@code connectTimeout} may ask for (0, pgjdbc's "no limit", is refused too). */
    static final int MAX_CONNECT_TIMEOUT_SECONDS = 30;

    /** libpq's {@code target_session_attrs} values as pgjdbc's {@code targetServerType}. */
    private static final Map<String, String> LIBPQ_SESSION_ATTRS = Map.of("any", "any", "read-write", "primary", "primary", "primary",
            "read-only", "secondary", "standby", "secondary", "prefer-standby", "preferSecondary");

    /** @throws IllegalArgumentException naming the key that is missing or wrong, never a value */
    static Target of(Map<String, String> values) {
        Target t = parse(values);
        checkParameters(t.jdbcUrl());
        return t;
    }

    private static Target parse(Map<String, String> values) {
        String url = values.get("url");
        String user = values.get("user");
        String password = values.getOrDefault("password", "");
        if (url != null && url.startsWith("jdbc:postgresql://")) {
            return new Target(url, required(user, "user"), password);
        }
        if (url != null) {
            return fromUri(url, user, password);
        }
        String host = required(values.get("host"), "host (or url)");
        String port = values.getOrDefault("port", "5432");
        if (!port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("the secret's port is not a port number");
        }
        String database = required(values.get("database"), "database");
        return new Target("jdbc:postgresql://" + host + ":" + port + "/" + database, required(user, "user"), password);
    }

    private static Target fromUri(String url, String user, String password) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the secret's url is neither jdbc:postgresql:// nor a postgresql:// URI");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("the secret's url is neither jdbc:postgresql:// nor a postgresql:// URI");
        }
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = user != null ? user : decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 || !password.isEmpty() ? password : decode(info.substring(colon + 1));
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String query = uri.getRawQuery() == null ? "" : pgjdbcParameters(uri.getRawQuery());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return new Target("jdbc:postgresql://" + uri.getHost() + port + path + query, required(user, "user"), password);
    }

    /**
     * A {@code postgresql://} URI's query in pgjdbc's names: providers hand out libpq's
     * ({@code ?sslmode=require&channel_binding=require}, {@code connect_timeout}, {@code application_name},
     * {@code target_session_attrs}). {@code channel_binding} is dropped (the connection's TLS is still
     * {@code sslmode}'s); other names are left for {@link #checkParameters} to judge.
     */
    private static String pgjdbcParameters(String rawQuery) {
        StringBuilder out = new StringBuilder();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (pair.isEmpty() || key.equals("channel_binding")) {
                continue;
            }
            String translated = switch (key) {
                case "connect_timeout" -> "connectTimeout=" + value;
                case "application_name" -> "ApplicationName=" + value;
                case "target_session_attrs" -> "targetServerType=" + LIBPQ_SESSION_ATTRS.getOrDefault(value, value);
                default -> pair;
            };
            out.append(out.isEmpty() ? "?" : "&").append(translated);
        }
        return out.toString();
    }

    /**
     * Refuses a parameter outside {@link #URL_PARAMETERS}, wherever it came from (a {@code database} or
     * {@code host} value with a {@code ?} in it too); names a parameter, never a value.
     */
    private static void checkParameters(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) {
            return;
        }
        for (String pair : jdbcUrl.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq); // as pgjdbc reads it: the name is not decoded
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (!URL_PARAMETERS.contains(key)) {
                throw new IllegalArgumentException("the secret's url sets '" + key + "', which the node sets itself or does not"
                        + " allow; a url may set only " + URL_PARAMETERS.stream().sorted().toList() + " (docs/bindings.md)");
            }
            if (key.equals("connectTimeout") && !(value.matches("\\d{1,3}") && Integer.parseInt(value) >= 1
                    && Integer.parseInt(value) <= MAX_CONNECT_TIMEOUT_SECONDS)) {
                throw new IllegalArgumentException("the secret's url sets connectTimeout outside 1 to " + MAX_CONNECT_TIMEOUT_SECONDS
                        + " seconds");
            }
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the secret has no " + key);
        }
        return value;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "Target[" + jdbcUrl + " as " + user + "]";
    }
}
