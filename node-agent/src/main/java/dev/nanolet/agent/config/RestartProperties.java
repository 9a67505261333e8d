package dev.nanolet.agent.config;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Back-off of restarted jobs ({@code NANOLET_RESTART_BACKOFF_BASE}, {@code NANOLET_RESTART_BACKOFF_MAX}):
 * the n-th restart waits {@code base × 2ⁿ}, at most {@code max}. A base below 1 ms (a job restarted back to back, for ever)
 * or a longest delay below the base is refused at start, naming the setting.
 */
@ConfigurationProperties("nanolet.restart.backoff")
public record RestartProperties(@DefaultValue("10s") Duration base, @DefaultValue("300s") Duration max) {

    public RestartProperties {
        var first = Setting.of("nanolet.restart.backoff.base", "NANOLET_RESTART_BACKOFF_BASE");
        first.atLeast(Duration.ofMillis(1), base);
        Setting.of("nanolet.restart.backoff.max", "NANOLET_RESTART_BACKOFF_MAX").atLeast(first, base, max);
    }

    /** Delay before restart number {@code restarts} (0 for the first). */
    public Duration delay(int restarts) {
        Duration d = base;
        for (int i = 0; i < restarts && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
