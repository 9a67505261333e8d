package dev.nanolet.agent.bindings;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where a binding's database is, read from its secret's values: {@code url} (a {@code jdbc:postgresql://}
 * URL, or a {@code postgresql://user:password@host:port/db} URI) with {@code user} and {@code password},
 * or the parts {@code host}, {@code port} (5432), {@code database}, {@code user}, {@code password}.
 */
record Target(String jdbcUrl, String user, String password) {

    /** @throws IllegalArgumentException naming the key that is missing or wrong, never a value */
    static Target of(Map<String, String> values) {
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
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return new Target("jdbc:postgresql://" + uri.getHost() + port + path + query, required(user, "user"), password);
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
