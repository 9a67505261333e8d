package dev.nanolet.platform.deployment;

import dev.nanolet.platform.web.JsonInputRules;
import dev.nanolet.wire.Problem.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** The data of a {@code kind: Secret} document: {@code stringData} holds values as they are, {@code data} in base64. */
final class ManifestSecrets {
    private ManifestSecrets() {}

    /** The secret's keys and values; errors named {@code documents[i].data.K} or {@code …stringData.K}. */
    static Map<String, String> data(JsonNode doc, String at, List<FieldError> errors) {
        Map<String, String> data = new TreeMap<>();
        JsonNode encoded = doc.path("data");
        JsonNode plain = doc.path("stringData");
        if (!encoded.isObject() && !plain.isObject()) {
            errors.add(new FieldError(at + "stringData", "a Secret needs stringData (plain values) or data (base64 values)"));
            return data;
        }
        if (encoded.isObject()) {
            for (Map.Entry<String, JsonNode> e : encoded.properties()) {
                try {
                    data.put(e.getKey(), new String(Base64.getDecoder().decode(text(e.getValue())), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException x) {
                    errors.add(new FieldError(at + "data." + e.getKey(), "must be a base64 string (or use stringData for plain text)"));
                }
            }
        }
        if (plain.isObject()) {
            for (Map.Entry<String, JsonNode> e : plain.properties()) {
                if (e.getValue().isString()) {
                    data.put(e.getKey(), e.getValue().asString());
                } else {
                    errors.add(new FieldError(at + "stringData." + e.getKey(), e.getValue().isNumber() || e.getValue().isBoolean()
                            ? JsonInputRules.QUOTE_IT : "must be a string"));
                }
            }
        }
        return data;
    }

    /** Where a secret's own error ({@code data.K} of the API) points in a document. */
    static String field(String apiField) {
        return apiField.startsWith("data") ? "stringData" + apiField.substring(4) : apiField;
    }

    private static String text(JsonNode value) {
        if (!value.isString()) {
            throw new IllegalArgumentException("not a string");
        }
        return value.asString();
    }
}
