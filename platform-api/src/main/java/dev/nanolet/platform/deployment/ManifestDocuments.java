package dev.nanolet.platform.deployment;

import dev.nanolet.platform.BadRequestException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.platform.web.JsonPaths;
import dev.nanolet.platform.web.WrongValues;
import dev.nanolet.platform.web.JsonProblems;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the body of {@code POST /api/v1/apply}: multi-document YAML, or JSON (one document or an
 * array of them), each {@code apiVersion: nanolet.dev/v1}, {@code kind: Deployment}, {@code metadata:
 * {name, namespace, labels, resourceVersion}} and a strict {@code spec}; or {@code kind: Secret} with {@code stringData} (plain values) and/or
 * {@code data} (base64 values, as Kubernetes). Every problem of every document is collected and named {@code documents[i].…}.
 */
final class ManifestDocuments {
    static final String API_VERSION = "nanolet.dev/v1";
    static final int MAX_DOCUMENTS = 100;
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ManifestDocuments() {}

    /**
     * One document: a Deployment ({@code spec} set, with its {@code labels}) or a Secret ({@code secretData} set);
     * {@code resourceVersion}, when set, is the version the object must be at (else nothing is applied).
     */
    record Manifest(int index, String namespace, String name, DeploymentSpec spec, Map<String, String> labels,
            Map<String, String> secretData, String resourceVersion) {
        /** What the document requires of the object's current version. */
        Precondition precondition() {
            return Precondition.resourceVersion(resourceVersion);
        }

        boolean isSecret() {
            return secretData != null;
        }

        String describe() {
            return "documents[" + index + "] (" + (isSecret() ? "Secret " : "Deployment ") + namespace + "/" + name + ")";
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    static List<Manifest> read(String body, boolean yaml, JsonMapper strict) {
        List<JsonNode> docs = parse(body, yaml);
        if (docs.isEmpty()) {
            throw new InvalidInputException("documents", "the body holds no document");
        }
        if (docs.size() > MAX_DOCUMENTS) {
            throw new InvalidInputException("documents", "at most " + MAX_DOCUMENTS + " documents at once");
        }
        List<FieldError> errors = new ArrayList<>();
        List<Manifest> manifests = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Manifest m = manifest(i, docs.get(i), strict, errors);
            if (m != null) {
                manifests.add(m);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return manifests;
    }

    private static List<JsonNode> parse(String body, boolean yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try {
            if (yaml) {
                try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(body)) {
                    while (it.hasNextValue()) {
                        JsonNode doc = it.nextValue();
                        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                            docs.add(doc);
                        }
                    }
                }
            } else {
                JsonNode root = JSON.readTree(body);
                if (root.isArray()) {
                    root.forEach(docs::add);
                } else if (!root.isMissingNode() && !root.isNull()) {
                    docs.add(root);
                }
            }
        } catch (JacksonException e) {
            throw new BadRequestException("the body is not valid " + (yaml ? "YAML" : "JSON") + ": " + e.getOriginalMessage());
        }
        return docs;
    }

    private static Manifest manifest(int i, JsonNode doc, JsonMapper strict, List<FieldError> errors) {
        String at = "documents[" + i + "].";
        int before = errors.size();
        if (!doc.isObject()) {
            errors.add(new FieldError("documents[" + i + "]", "must be an object with apiVersion, kind, metadata and spec"));
            return null;
        }
        if (!API_VERSION.equals(doc.path("apiVersion").asString(null))) {
            errors.add(new FieldError(at + "apiVersion", "must be " + API_VERSION));
        }
        String kind = doc.path("kind").asString(null);
        if (!"Deployment".equals(kind) && !"Secret".equals(kind)) {
            errors.add(new FieldError(at + "kind", "must be Deployment or Secret"));
        }
        String name = doc.path("metadata").path("name").asString(null);
        String namespace = doc.path("metadata").path("namespace").asString(null);
        Map<String, String> labels = Labels.read(doc.path("metadata").path("labels"), at + "metadata.labels", errors);
        String resourceVersion = resourceVersion(doc.path("metadata").path("resourceVersion"), at, errors);
        if (name == null) {
            errors.add(new FieldError(at + "metadata.name", "is required"));
        }
        if (namespace == null) {
            errors.add(new FieldError(at + "metadata.namespace", "is required"));
        }
        if ("Secret".equals(kind)) {
            Map<String, String> data = ManifestSecrets.data(doc, at, errors);
            return errors.size() == before ? new Manifest(i, namespace, name, null, null, data, resourceVersion) : null;
        }
        DeploymentSpec spec = null;
        if (!doc.path("spec").isObject()) {
            errors.add(new FieldError(at + "spec", "is required: a deployment spec"));
        } else {
            try {
                spec = strict.treeToValue(doc.path("spec"), DeploymentSpec.class);
            } catch (WrongValues wrong) {
                wrong.named().forEach(w -> errors.add(new FieldError(at + "spec." + w.field(), w.message())));
                if (wrong.more() > 0) {
                    errors.add(new FieldError(at + "spec", "holds " + (wrong.countStopped() ? "at least " : "") + wrong.more()
                            + " more " + wrong.kinds(wrong.more()) + " than named"));
                }
            } catch (JacksonException e) {
                errors.add(new FieldError(at + "spec." + JsonPaths.of(e.getPath()), JsonProblems.message(e)));
            }
        }
        return errors.size() == before ? new Manifest(i, namespace, name, spec, labels, null, resourceVersion) : null;
    }

    /** {@code metadata.resourceVersion}: null when absent; a string as a read shows it (a number is taken as one). */
    private static String resourceVersion(JsonNode field, String at, List<FieldError> errors) {
        if (field.isMissingNode() || field.isNull()) {
            return null;
        }
        if ((field.isString() || field.isIntegralNumber()) && !field.asString().isBlank()) {
            return field.asString();
        }
        errors.add(new FieldError(at + "metadata.resourceVersion", "must be the resourceVersion a read of the object showed, as a string"));
        return null;
    }

    /** The errors of {@code e} (raised for document {@code m}), named by their place in the body. */
    static InvalidInputException inDocument(Manifest m, InvalidInputException e) {
        return new InvalidInputException(e.errors().stream()
                .map(f -> new FieldError("documents[" + m.index() + "]." + (f.field().equals("namespace") || f.field().equals("name")
                        ? "metadata." + f.field() : m.isSecret() ? ManifestSecrets.field(f.field()) : "spec." + f.field()), f.message()))
                .toList());
    }
}
