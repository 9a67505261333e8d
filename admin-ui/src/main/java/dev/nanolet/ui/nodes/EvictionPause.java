package dev.nanolet.ui.nodes;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.wire.EvictionStatus;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The pause of evictions, if they are paused now (no registered node Ready), for the line the Nodes page and the overview
 * show ({@code fragments/evictions}). A read that fails (a 403, platform-api's error or timeout) shows the page without it:
 * the page is for something else.
 */
@Component
public class EvictionPause {
    private final PlatformClient platform;

    EvictionPause(PlatformClient platform) {
        this.platform = platform;
    }

    /** The pause, or empty when evictions are not paused or that could not be read. */
    public Mono<Optional<EvictionStatus>> now() {
        return platform.evictions().filter(EvictionStatus::paused).map(Optional::of)
                .onErrorResume(PlatformException.class, e -> Mono.empty())
                .defaultIfEmpty(Optional.empty());
    }
}
