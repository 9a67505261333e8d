package dev.nanolet.platform.spec;

import dev.nanolet.wire.DeploymentSpec;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A spec as the JSON stored in {@code deployments.spec} and {@code revisions.spec}: the one place
 * that writes a stored spec and the one place that parses it again.
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
}
