package dev.nanolet.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The two bearer tokens, both required: {@code nanolet.auth.admin-token} (env
 * {@code NANOLET_ADMIN_TOKEN}) opens everything, {@code nanolet.auth.node-token} (env
 * {@code NANOLET_NODE_TOKEN}) only the node protocol.
 */
@ConfigurationProperties("nanolet.auth")
public record AuthProperties(String adminToken, String nodeToken) {
    public AuthProperties {
        require(adminToken, "nanolet.auth.admin-token", "NANOLET_ADMIN_TOKEN");
        require(nodeToken, "nanolet.auth.node-token", "NANOLET_NODE_TOKEN");
        if (adminToken.equals(nodeToken)) {
            throw new IllegalArgumentException("NANOLET_ADMIN_TOKEN and NANOLET_NODE_TOKEN must differ");
        }
    }

    private static void require(String token, String property, String env) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(property + " is not set: set the environment variable " + env
                    + " to a secret bearer token");
        }
    }
}
