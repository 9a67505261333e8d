package dev.nanolet.platform.event;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long events are kept ({@code nanolet.events.*}); each at least 1 (1 ms), or platform-api does not start: below it
 * every event was deleted as soon as it was written.
 *
 * @param ttl events not repeated for this long are deleted (Kubernetes keeps 1 h)
 *     (env {@code NANOLET_EVENTS_TTL})
 * @param maxPerObject only the newest this many events of one object are kept
 *     (env {@code NANOLET_EVENTS_MAX_PER_OBJECT})
 */
@ConfigurationProperties("nanolet.events")
public record EventProperties(@DefaultValue("1h") Duration ttl, @DefaultValue("50") int maxPerObject) {

    public EventProperties {
        Setting.of("nanolet.events.ttl", "NANOLET_EVENTS_TTL").atLeast(Duration.ofMillis(1), ttl);
        Setting.of("nanolet.events.max-per-object", "NANOLET_EVENTS_MAX_PER_OBJECT").atLeast(1, maxPerObject);
    }
}
