package dev.nanolet.platform.control;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The control loop: controllers, scheduler, lease expiry and pruning.
 *
 * @param enabled whether this instance runs the loop (tests of other features switch it off)
 * @param interval how often the loop runs when nothing wakes it
 * @param retention how long assignment changes and metric samples are kept
 * @param prompt whether a deployment written through this instance is reconciled and bound at once
 *     ({@link Prompt}); off, only the loop does it (to measure the difference)
 */
@ConfigurationProperties("nanolet.control")
public record ControlProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2s") Duration interval,
        @DefaultValue("1h") Duration retention,
        @DefaultValue("true") boolean prompt) {}
