package dev.nanolet.platform.secret;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.wire.Problem.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The bounds of a secret's name and data, every violation named by its JSON path (never showing a value). */
final class SecretRules {
    static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");
    static final int MAX_KEYS = 64;
    static final int MAX_VALUE_BYTES = 16 * 1024;
    static final int MAX_TOTAL_BYTES = 256 * 1024;

    private SecretRules() {}

    /** 422 naming every field of {@link #validate} at fault. */
    static void check(String namespace, String name, Map<String, String> data) {
        List<FieldError> errors = validate(namespace, name, data);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    static List<FieldError> validate(String namespace, String name, Map<String, String> data) {
        List<FieldError> errors = new ArrayList<>();
        label(errors, "namespace", namespace);
        label(errors, "name", name);
        if (data == null) {
            errors.add(new FieldError("data", "is required: an object of keys to string values"));
            return errors;
        }
        if (data.size() > MAX_KEYS) {
            errors.add(new FieldError("data", "must have at most " + MAX_KEYS + " keys"));
        }
        long total = 0;
        for (Map.Entry<String, String> e : data.entrySet()) {
            String field = "data." + e.getKey();
            if (!KEY.matcher(e.getKey()).matches() || e.getKey().equals(".") || e.getKey().equals("..")) {
                errors.add(new FieldError(field, "key must be 1 to 253 letters, digits, '-', '_' or '.'"));
            } else if (e.getValue() == null) {
                errors.add(new FieldError(field, "must be a string, not null"));
            } else {
                int bytes = e.getValue().getBytes(StandardCharsets.UTF_8).length;
                total += bytes;
                if (bytes > MAX_VALUE_BYTES) {
                    errors.add(new FieldError(field, "value must be at most " + MAX_VALUE_BYTES + " bytes"));
                }
            }
        }
        if (total > MAX_TOTAL_BYTES) {
            errors.add(new FieldError("data", "values must total at most " + MAX_TOTAL_BYTES + " bytes"));
        }
        return errors;
    }

    private static void label(List<FieldError> errors, String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be a DNS-1123 label: at most 63 lowercase letters, digits or '-', "
                    + "starting and ending with a letter or digit"));
        }
    }
}
