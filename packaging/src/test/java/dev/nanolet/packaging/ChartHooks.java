package dev.nanolet.packaging;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The chart's hook resources (the migrations Job, the {@code helm test} pod) rendered by the real Helm.
 * helm-java's {@code template} returns the release manifest without hooks, and its install dry run
 * prints no hooks either. But Helm names every template file by its path, so a copy of the chart with
 * one extra template — a ConfigMap whose data is {@code include "nanolet/templates/<hook file>" .} —
 * renders each hook file with the same values, helpers and Helm; the ConfigMap is read back and its
 * entries parsed with fabric8. The hook files are found by their {@code helm.sh/hook} annotation.
 */
final class ChartHooks {
    private static final String PROBE = "zz-rendered-hooks.yaml";

    private ChartHooks() {}

    /** Hook template path (under templates/) → what Helm renders for it with these values, parsed. */
    static Map<String, List<HasMetadata>> render(Map<String, Object> values) {
        Path copy = copyWithProbe();
        ChartCluster.client();
        var command = new com.marcnuri.helm.Helm(copy).template().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE);
        values.forEach(command::set);
        ConfigMap probe = Chart.parse(command.call()).stream()
                .filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().equals("rendered-hooks")).findFirst()
                .orElseThrow(() -> new AssertionError("the probe template did not render"));
        Map<String, List<HasMetadata>> hooks = new TreeMap<>();
        hookFiles().forEach((name, key) -> hooks.put(name, Chart.parse(probe.getData().getOrDefault(key, ""))));
        return hooks;
    }

    /** templates/ paths of the files that declare a {@code helm.sh/hook} → their key in the probe ConfigMap. */
    static Map<String, String> hookFiles() {
        Path templates = Repo.path("helm/nanolet/templates");
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(templates)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                if (Files.readString(p).contains("helm.sh/hook:")) {
                    String rel = templates.relativize(p).toString();
                    files.put(rel, rel.replace('/', '_'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static Path copyWithProbe() {
        Path source = Repo.path("helm/nanolet");
        try {
            Path target = Files.createTempDirectory("nanolet-chart-hooks").resolve("nanolet");
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : walk.toList()) {
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
            StringBuilder probe = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rendered-hooks\ndata:\n");
            hookFiles().forEach((rel, key) -> probe.append("  ").append(key)
                    .append(": {{ include \"nanolet/templates/").append(rel).append("\" . | toJson }}\n"));
            Files.writeString(target.resolve("templates").resolve(PROBE), probe);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
