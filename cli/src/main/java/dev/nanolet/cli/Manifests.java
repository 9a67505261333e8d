package dev.nanolet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a manifest: one or more YAML documents (JSON is YAML) of {@code apiVersion: nanolet.dev/v1},
 * {@code kind: Deployment}, {@code metadata: {name, namespace, labels, resourceVersion}} and a deployment {@code spec}, whose
 * {@code module} is a digest ({@code sha256:…}) or a local file ({@code file:build/app.wasm},
 * relative to the manifest) that {@code apply} pushes first; or {@code kind: Secret} with {@code stringData} (plain
 * values) and/or {@code data} (base64), sent as they are. Every problem names the document (counted from 0) and the field.
 */
final class Manifests {
    static final String API_VERSION = "nanolet.dev/v1";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private Manifests() {}

    /**
     * One document; {@code moduleFile} is set when a deployment's spec names a file to push. For a Secret, {@code spec}
     * holds its {@code stringData} and {@code data}.
     *
     * @param labels {@code metadata.labels} as written (the server validates them), or null
     * @param resourceVersion {@code metadata.resourceVersion} as written (the version the object must be at), or null
     */
    record Document(int index, String namespace, String name, ObjectNode spec, Path moduleFile, String kind, JsonNode labels,
            JsonNode resourceVersion) {
        boolean isSecret() {
            return "Secret".equals(kind);
        }
    }

    static List<Document> read(Path file, String defaultNamespace) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw ReadErrors.cannotRead(file, e);
        } catch (JacksonException e) {
            throw new CliException(CliException.USAGE, file + " is not valid YAML: " + e.getOriginalMessage());
        }
        if (docs.isEmpty()) {
            throw new CliException(CliException.USAGE, file + " holds no document");
        }
        List<String> errors = new ArrayList<>();
        List<Document> read = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Document d = document(i, docs.get(i), defaultNamespace, file.toAbsolutePath().getParent(), errors);
            if (d != null) {
                read.add(d);
            }
        }
        if (!errors.isEmpty()) {
            throw new CliException(CliException.USAGE, "invalid manifest " + file + ":\n  " + String.join("\n  ", errors));
        }
        return read;
    }

    private static Document document(int i, JsonNode doc, String defaultNamespace, Path dir, List<String> errors) {
        String at = "document " + i + ": ";
        int before = errors.size();
        if (!doc.isObject()) {
            errors.add(at + "must be a mapping with apiVersion, kind, metadata and spec");
            return null;
        }
        if (!API_VERSION.equals(doc.path("apiVersion").asString(null))) {
            errors.add(at + "apiVersion: must be " + API_VERSION);
        }
        String kind = doc.path("kind").asString(null);
        if (!"Deployment".equals(kind) && !"Secret".equals(kind)) {
            errors.add(at + "kind: must be Deployment or Secret");
        }
        String name = doc.path("metadata").path("name").asString(null);
        String namespace = doc.path("metadata").path("namespace").asString(defaultNamespace);
        JsonNode resourceVersion = doc.path("metadata").has("resourceVersion") ? doc.path("metadata").path("resourceVersion").deepCopy() : null;
        if (name == null || !LABEL.matcher(name).matches()) {
            errors.add(at + "metadata.name: must be a DNS-1123 label");
        }
        if (!LABEL.matcher(namespace).matches()) {
            errors.add(at + "metadata.namespace: must be a DNS-1123 label");
        }
        if ("Secret".equals(kind)) {
            ObjectNode data = YAML.createObjectNode();
            for (String field : List.of("stringData", "data")) {
                if (doc.path(field).isObject()) {
                    data.set(field, doc.path(field).deepCopy());
                }
            }
            if (data.isEmpty()) {
                errors.add(at + "stringData: a Secret needs stringData (plain values) or data (base64 values)");
            }
            return errors.size() == before ? new Document(i, namespace, name, data, null, kind, null, resourceVersion) : null;
        }
        if (!(doc.path("spec") instanceof ObjectNode spec)) {
            errors.add(at + "spec: is required: a deployment spec (docs/api.md)");
            return null;
        }
        Path moduleFile = null;
        String module = spec.path("module").asString("");
        if (module.startsWith("file:")) {
            moduleFile = dir.resolve(module.substring(5)).normalize();
            if (!Files.isRegularFile(moduleFile)) {
                errors.add(at + "spec.module: no file " + moduleFile);
            }
        }
        return errors.size() == before ? new Document(i, namespace, name, spec.deepCopy(), moduleFile, kind,
                doc.path("metadata").has("labels") ? doc.path("metadata").path("labels").deepCopy() : null, resourceVersion) : null;
    }
}
