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
 */
@ConfigurationProperties("nanolet.control")
record ControlProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2s") Duration interval,
        @DefaultValue("1h") Duration retention) {}
