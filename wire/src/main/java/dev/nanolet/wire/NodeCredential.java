package dev.nanolet.wire;

/**
 * What {@code POST /api/v1/nodes} answers (201) when it registers a node with the bootstrap token:
 * the node's own credential, shown this once (platform-api keeps only its SHA-256).
 *
 * @param name the node the credential is bound to
 * @param token the Bearer token of every later node-protocol call of this node
 * @param logsToken what platform-api sends as Bearer when it reads this node's logs
 *     ({@code /_nanolet/v1/…}); the node accepts nothing else there
 * @param node the node as registered
 */
public record NodeCredential(String name, String token, String logsToken, NodeInfo node) {
    /** Leaves the secrets out of logs and exception messages. */
    @Override
    public String toString() {
        return "NodeCredential[name=" + name + ", token=…, logsToken=…]";
    }
}
