package dev.nanolet.platform.web;

import java.util.Optional;

/** Finds the node that holds a credential; implemented where the nodes are kept. */
public interface NodeIdentities {
    /** The node whose issued credential is {@code token}, if any (revoked or unknown: empty). */
    Optional<String> nodeFor(String token);
}
