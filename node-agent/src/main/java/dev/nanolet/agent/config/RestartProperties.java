package dev.nanolet.agent.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Back-off of restarted jobs ({@code NANOLET_RESTART_BACKOFF_BASE}, {@code NANOLET_RESTART_BACKOFF_MAX}):
 * the n-th restart waits {@code base × 2ⁿ}, at most {@code max}.
 */
@ConfigurationProperties("nanolet.restart.backoff")
public record RestartProperties(@DefaultValue("10s") Duration base, @DefaultValue("300s") Duration max) {

    /** Delay before restart number {@code restarts} (0 for the first). */
    public Duration delay(int restarts) {
        Duration d = base;
        for (int i = 0; i < restarts && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
