package dev.nanolet.platform.web;

import java.util.List;
import tools.jackson.core.JacksonException.Reference;

/** Renders a Jackson location as the JSON path the API names fields by: {@code limits.memoryMiB}, {@code args[2]}. */
public final class JsonPaths {
    private JsonPaths() {}

    public static String of(List<Reference> path) {
        StringBuilder out = new StringBuilder();
        for (Reference ref : path) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
