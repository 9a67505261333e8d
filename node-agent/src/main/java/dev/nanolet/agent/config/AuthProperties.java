package dev.nanolet.agent.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The bootstrap token ({@code nanolet.auth.node-token}, env {@code NANOLET_NODE_TOKEN}): sent to
 * platform-api only to register this node, which answers the node's own credential (kept in the
 * node's data directory and used on every later call).
 */
@ConfigurationProperties("nanolet.auth")
public record AuthProperties(String nodeToken) {

    public AuthProperties {
        nodeToken = nodeToken == null ? "" : nodeToken;
    }
}
