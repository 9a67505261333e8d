package dev.nanolet.platform.spec;

import dev.nanolet.wire.DeploymentSpec;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A spec as the JSON stored in {@code deployments.spec} and {@code revisions.spec}: the one place
 * that writes a stored spec and the one place that parses it again; labels as in {@code deployments.labels}.
 */
@Component
public class SpecJson {
    private final JsonMapper json;

    SpecJson(JsonMapper json) {
        this.json = json;
    }

    public String write(DeploymentSpec spec) {
        return json.writeValueAsString(spec);
    }

    public DeploymentSpec read(String stored) {
        return json.readValue(stored, DeploymentSpec.class);
    }

    /** Labels as stored in {@code deployments.labels}. */
    public String writeLabels(Map<String, String> labels) {
        return json.writeValueAsString(new TreeMap<>(labels));
    }

    public Map<String, String> readLabels(String stored) {
        return stored == null ? Map.of() : json.readValue(stored, new TypeReference<Map<String, String>>() {});
    }
}
