package dev.nanolet.wire;

/**
 * One role of an API token, in one namespace or (namespace null) cluster-wide.
 *
 * @param namespace the namespace the role holds in; null for every namespace and the cluster-scoped resources
 */
public record Grant(Role role, String namespace) {
    /** Whether this grant gives at least {@code role} in {@code namespace} (null: cluster-wide). */
    public boolean covers(Role role, String namespace) {
        return this.role != null && this.role.includes(role)
                && (this.namespace == null || this.namespace.equals(namespace));
    }

    /** Whether this grant gives at least everything {@code other} gives. */
    public boolean covers(Grant other) {
        return other.role() != null && covers(other.role(), other.namespace());
    }

    /** {@code ROLE (cluster-wide)} or {@code ROLE in namespace NAMESPACE}, as {@code nanolet tokens create} says it on stderr. */
    @Override
    public String toString() {
        return role + (namespace == null ? " (cluster-wide)" : " in namespace " + namespace);
    }
}
