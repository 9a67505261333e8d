package dev.nanolet.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Prints answers on stdout: an aligned table of chosen columns, or the whole JSON/YAML. Progress goes to stderr. */
final class Output {
    enum Format { table, json, yaml }

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final ObjectWriter JSON = Api.JSON.writer().with(new JsonEscapes());
    private final Format format;
    private final PrintStream out = System.out; // a Terminal (Main.run)

    Output(Format format) {
        this.format = format;
    }

    /** Columns by header, each read from one item. */
    static Map<String, Function<JsonNode, String>> columns() {
        return new LinkedHashMap<>();
    }

    /**
     * {@code items} (an array, or one object) as a table of {@code columns}, each cell on its row ({@link Terminal#oneLine}:
     * a server's name or message that held a line break printed a row of its own), or whole as JSON/YAML ({@link JsonEscapes}).
     */
    void print(JsonNode items, Map<String, Function<JsonNode, String>> columns) {
        switch (format) {
            case json -> out.println(JSON.with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(items));
            case yaml -> out.print(YAML.writeValueAsString(items));
            case table -> table(items.isArray() ? items.valueStream().toList() : List.of(items), columns);
        }
    }

    /** {@code item} as JSON on one line, escaped as {@link #print}'s: one item of a stream ({@code logs -o json}). */
    static String line(JsonNode item) {
        return JSON.writeValueAsString(item);
    }

    private void table(List<JsonNode> items, Map<String, Function<JsonNode, String>> columns) {
        List<String[]> rows = new ArrayList<>();
        rows.add(columns.keySet().toArray(String[]::new));
        for (JsonNode item : items) {
            rows.add(columns.values().stream().map(c -> c.apply(item)).map(v -> v == null ? "" : Terminal.oneLine(v)).toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 3) + "s", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** A line of progress for a person watching a pipeline's log: stderr, so stdout stays parseable. */
    static void progress(String message) {
        System.err.println(message);
    }
}
