package dev.nanolet.platform.deployment;

import dev.nanolet.platform.BadRequestException;
import dev.nanolet.wire.Problem.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Deployment labels as Kubernetes has them, and the equality selectors of prune: a key is a name
 * of 1–63 of {@code A-Za-z0-9-_.} starting and ending alphanumeric, optionally after a DNS
 * subdomain prefix and {@code /} ({@code example.com/app}); a value is empty or such a name; at most
 * {@link #MAX} labels. Pure functions.
 */
final class Labels {
    static final int MAX = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

    private Labels() {}

    /** {@code metadata.labels} of a document (absent: none), each problem added to {@code errors} named under {@code at}. */
    static Map<String, String> read(JsonNode node, String at, List<FieldError> errors) {
        Map<String, String> labels = new TreeMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return labels;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(at, "must be an object of label: value"));
            return labels;
        }
        if (node.size() > MAX) {
            errors.add(new FieldError(at, "at most " + MAX + " labels"));
            return labels;
        }
        node.properties().forEach(e -> {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (!validKey(key)) {
                errors.add(new FieldError(at + "." + key, "is not a label key: a name (1-63 of A-Za-z0-9-_. starting and "
                        + "ending alphanumeric), optionally after a DNS subdomain and /"));
            } else if (!value.isString() || !validValue(value.asString())) {
                errors.add(new FieldError(at + "." + key, "must be a string: empty, or 1-63 of A-Za-z0-9-_. starting and "
                        + "ending alphanumeric"));
            } else {
                labels.put(key, value.asString());
            }
        });
        return labels;
    }

    static boolean validKey(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return NAME.matcher(key).matches();
        }
        return PREFIX.matcher(key.substring(0, slash)).matches() && NAME.matcher(key.substring(slash + 1)).matches();
    }

    static boolean validValue(String value) {
        return value.isEmpty() || NAME.matcher(value).matches();
    }

    /**
     * An equality selector, {@code app=shop,tier=web}: a deployment matches when it has every one of
     * these labels with that value. 400 naming the part that is not {@code key=value}.
     */
    static Map<String, String> selector(String text) {
        Map<String, String> selector = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            String[] kv = part.strip().split("=", 2);
            if (kv.length != 2 || !validKey(kv[0].strip()) || !validValue(kv[1].strip())) {
                throw new BadRequestException("selector: '" + part + "' is not key=value (equality selectors only, "
                        + "comma-separated: app=shop,tier=web)");
            }
            selector.put(kv[0].strip(), kv[1].strip());
        }
        return selector;
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
