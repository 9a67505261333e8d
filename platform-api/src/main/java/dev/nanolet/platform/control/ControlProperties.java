package dev.nanolet.platform.control;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The control loop: controllers, scheduler, lease expiry and pruning.
 *
 * @param enabled whether this instance runs the loop (tests of other features switch it off)
 * @param interval how often the loop runs when nothing wakes it; 1 ms to 1 day (the loop times it in nanoseconds), or
 *     platform-api does not start
 * @param retention how long assignment changes and metric samples are kept; at least 1 ms
 * @param prompt whether a deployment written through this instance is reconciled and bound at once
 *     ({@link Prompt}); off, only the loop does it (to measure the difference)
 */
@ConfigurationProperties("nanolet.control")
public record ControlProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2s") Duration interval,
        @DefaultValue("1h") Duration retention,
        @DefaultValue("true") boolean prompt) {

    public ControlProperties {
        Setting.of("nanolet.control.interval").between(Duration.ofMillis(1), Duration.ofDays(1), interval);
        Setting.of("nanolet.control.retention").atLeast(Duration.ofMillis(1), retention);
    }
}
