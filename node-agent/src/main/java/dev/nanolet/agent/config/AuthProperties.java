package dev.nanolet.agent.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The node token ({@code nanolet.auth.node-token}, env {@code NANOLET_NODE_TOKEN}): sent to
 * platform-api as Bearer and required on this node's {@code /_nanolet/} endpoints.
 */
@ConfigurationProperties("nanolet.auth")
public record AuthProperties(String nodeToken) {

    public AuthProperties {
        nodeToken = nodeToken == null ? "" : nodeToken;
    }

    /** Whether {@code authorization} carries this node token. */
    public boolean accepts(String authorization) {
        return !nodeToken.isEmpty() && ("Bearer " + nodeToken).equals(authorization);
    }
}
