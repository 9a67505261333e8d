package dev.nanolet.wire;

/**
 * What an API token may do, each role including the ones before it: {@code viewer} reads,
 * {@code deployer} also writes deployments and uploads modules, {@code admin} also manages tokens,
 * nodes and reads the audit log (docs/api.md has the whole matrix).
 */
public enum Role {
    viewer, deployer, admin;

    /** Whether this role includes everything {@code other} may do. */
    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }
}
