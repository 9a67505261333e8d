package dev.nanolet.platform.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The field-level difference of two specs as JSON trees, a pure function: objects are compared
 * member by member ({@code spec.env.MODE}), anything else (strings, numbers, arrays such as
 * {@code args}) as a whole. A field only one side has shows null on the other (so a new spec lists
 * each of its fields).
 */
final class SpecChanges {
    private SpecChanges() {}

    /** One changed field; {@code from} is null when it was not set, {@code to} when it is no longer. */
    record Change(String field, JsonNode from, JsonNode to) {}

    static List<Change> between(JsonNode from, JsonNode to, String prefix) {
        List<Change> changes = new ArrayList<>();
        collect(prefix, absentAsNull(from), absentAsNull(to), changes);
        return changes;
    }

    private static void collect(String at, JsonNode from, JsonNode to, List<Change> changes) {
        if ((from == null || from.isObject()) && (to == null || to.isObject()) && (from != null || to != null)) {
            TreeSet<String> names = new TreeSet<>();
            if (from != null) {
                names.addAll(from.propertyNames());
            }
            if (to != null) {
                names.addAll(to.propertyNames());
            }
            for (String name : names) {
                collect(at + "." + name, member(from, name), member(to, name), changes);
            }
        } else if (from == null ? to != null : !from.equals(to)) {
            changes.add(new Change(at, from, to));
        }
    }

    private static JsonNode member(JsonNode object, String name) {
        return object == null ? null : absentAsNull(object.get(name));
    }

    /** Null for a missing member, JSON null, and an empty object or array: all mean "not set" in a spec. */
    private static JsonNode absentAsNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() || (node.isContainer() && node.isEmpty()) ? null : node;
    }
}
