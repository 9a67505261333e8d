package dev.nanolet.wire;

import java.util.List;
import java.util.Map;

/**
 * What a node agent sends to {@code POST /api/v1/nodes} to register or re-register.
 *
 * @param credential with the bootstrap token: the credential the node generated for itself
 *     ({@code nlt_node_} + 256 random bits, base64url), so that a retry of a registration whose
 *     answer was lost is answered again instead of 409; null: platform-api generates one (older agents)
 */
public record NodeRegistration(String name, Map<String, String> labels, Capacity capacity, String address, String credential) {
    /**
     * Labels under this prefix are set by an admin only ({@code PUT /api/v1/nodes/{name}/labels}), never by
     * a node: platform-api refuses a registration that carries one (403). A deployment's {@code nodeSelector}
     * on such a label keeps it, and its secrets, on nodes an admin trusts (NodeRestriction in Kubernetes).
     */
    public static final String RESTRICTED_LABEL_PREFIX = "node-restriction.nanolet.dev/";

    public NodeRegistration {
        labels = Collections2.map(labels);
    }

    /** Whether {@code key} is under {@link #RESTRICTED_LABEL_PREFIX}: the admin's, never a node's. */
    public static boolean restricted(String key) {
        return key.startsWith(RESTRICTED_LABEL_PREFIX);
    }

    /** The keys of {@code labels} under {@link #RESTRICTED_LABEL_PREFIX}, sorted. */
    public static List<String> restricted(Map<String, String> labels) {
        return labels.keySet().stream().filter(NodeRegistration::restricted).sorted().toList();
    }

    /** A registration without a credential of the node's own (platform-api issues one). */
    public NodeRegistration(String name, Map<String, String> labels, Capacity capacity, String address) {
        this(name, labels, capacity, address, null);
    }

    /** This registration carrying {@code credential}. */
    public NodeRegistration withCredential(String credential) {
        return new NodeRegistration(name, labels, capacity, address, credential);
    }

    /** Leaves the credential out of logs and exception messages. */
    @Override
    public String toString() {
        return "NodeRegistration[name=" + name + ", labels=" + labels + ", capacity=" + capacity + ", address=" + address
                + (credential == null ? "" : ", credential=…") + "]";
    }

    /** What a node offers: concurrent replicas and memory for their instances. */
    public record Capacity(int instances, int memoryMiB) {}
}
