package dev.nanolet.ui.nodes;

import dev.nanolet.wire.NodeRegistration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A node's labels under {@value #PREFIX}: only an admin sets them ({@code PUT /nodes/{name}/labels},
 * always all of them), a node cannot, so a deployment's {@code nodeSelector} on them keeps its
 * workloads (and the secrets they read) on nodes the admin chose.
 */
final class RestrictedLabels {
    static final String PREFIX = NodeRegistration.RESTRICTED_LABEL_PREFIX;

    private RestrictedLabels() {}

    /** The restricted ones among {@code labels}, sorted by key. */
    static Map<String, String> of(Map<String, String> labels) {
        return new TreeMap<>(labels.entrySet().stream().filter(e -> e.getKey().startsWith(PREFIX))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** As the form shows them: {@code key=value} per line. */
    static String lines(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"));
    }

    /** {@code key=value} per line (the first {@code =} splits, both sides stripped; blank lines skipped; no {@code =}: an empty value). */
    static Map<String, String> parse(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null) {
            return labels;
        }
        for (String line : text.split("\r?\n")) {
            if (!line.isBlank()) {
                int eq = line.indexOf('=');
                labels.put((eq < 0 ? line : line.substring(0, eq)).strip(), eq < 0 ? "" : line.substring(eq + 1).strip());
            }
        }
        return labels;
    }
}
