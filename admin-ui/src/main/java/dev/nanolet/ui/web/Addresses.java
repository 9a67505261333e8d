package dev.nanolet.ui.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The dashboard's own addresses with a query, for redirects and links: each value is encoded whole as a URI variable, so
 * a {@code +} stays a plus (not a space), an {@code &}, {@code =}, {@code #} or {@code %} stays in its value, and braces are
 * text (a redirect would expand {@code {…}} as a template variable). {@code UriComponents.encode()} after {@code build()}
 * leaves {@code +} and {@code =} as they are, which a query then reads as a space and a separator.
 */
public final class Addresses {
    private Addresses() {}

    /** {@code path} (no query, no braces) with {@code query}'s parameters in its order. */
    public static String of(String path, Map<String, String> query) {
        UriComponentsBuilder b = UriComponentsBuilder.fromPath(path);
        Map<String, String> values = new LinkedHashMap<>();
        query.forEach((name, value) -> {
            String variable = "v" + values.size();
            b.queryParam(name, "{" + variable + "}");
            values.put(variable, value);
        });
        return b.encode().buildAndExpand(values).toUriString();
    }

    /** {@code path} with one query parameter. */
    public static String of(String path, String name, String value) {
        return of(path, Map.of(name, value));
    }
}
