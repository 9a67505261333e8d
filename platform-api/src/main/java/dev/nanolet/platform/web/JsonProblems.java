package dev.nanolet.platform.web;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Says what is wrong with a JSON value in the user's terms ("must be a whole number") instead of
 * Jackson's, which names Java types and exceptions; falls back to Jackson's message only when it
 * names none.
 */
public final class JsonProblems {
    private JsonProblems() {}

    public static String message(JacksonException e) {
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        if (e instanceof PropertyBindingException unknown) {
            List<String> known = unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return "is not a known field" + (known.isEmpty() ? "" : "; known here: " + String.join(", ", known));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = expected(mismatch.getTargetType());
            if (expected != null) {
                return "must be " + expected;
            }
        }
        if (e instanceof ValueInstantiationException) {
            return e.getCause() instanceof IllegalArgumentException invalid && invalid.getMessage() != null
                    ? invalid.getMessage() : "is not a valid value";
        }
        String message = e.getOriginalMessage();
        return message == null || message.contains("`") || message.contains("java.") ? "is not a valid value" : message;
    }

    /** What a value of {@code type} must be, in JSON terms ("a whole number"); null when there are no simple words for it. */
    static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "));
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return null;
    }
}
