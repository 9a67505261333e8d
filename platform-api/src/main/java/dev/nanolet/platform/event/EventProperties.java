package dev.nanolet.platform.event;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long events are kept ({@code nanolet.events.*}).
 *
 * @param ttl events not repeated for this long are deleted (Kubernetes keeps 1 h)
 *     (env {@code NANOLET_EVENTS_TTL})
 * @param maxPerObject only the newest this many events of one object are kept
 *     (env {@code NANOLET_EVENTS_MAX_PER_OBJECT})
 */
@ConfigurationProperties("nanolet.events")
public record EventProperties(@DefaultValue("1h") Duration ttl, @DefaultValue("50") int maxPerObject) {}
