package dev.nanolet.platform.deployment;

import dev.nanolet.wire.DeploymentSpec;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** A spec as the JSON stored in {@code deployments.spec} and {@code revisions.spec}. */
@Component
class SpecJson {
    private final JsonMapper json;

    SpecJson(JsonMapper json) {
        this.json = json;
    }

    String write(DeploymentSpec spec) {
        return json.writeValueAsString(spec);
    }

    DeploymentSpec read(String stored) {
        return json.readValue(stored, DeploymentSpec.class);
    }
}
