package dev.nanolet.platform.node;

import dev.nanolet.platform.node.NodeLeases.Readiness;
import dev.nanolet.wire.EvictionStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/evictions}: whether the replicas of NotReady nodes are evicted now, or evictions are paused because
 * no registered node is Ready ({@link NodeEviction}). Computed from the leases on every read, as a node's {@code ready} is.
 */
@RestController
class EvictionApi {
    private final EvictionPauses pauses;

    EvictionApi(EvictionPauses pauses) {
        this.pauses = pauses;
    }

    @GetMapping("/api/v1/evictions")
    EvictionStatus status() {
        Readiness now = pauses.now();
        return new EvictionStatus(now.evictionsPaused(), now.nodes(), now.ready());
    }
}
