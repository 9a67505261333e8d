package dev.nanolet.platform.audit;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit log's bound ({@code nanolet.audit.*}).
 *
 * @param retention entries older than this are deleted (env {@code NANOLET_AUDIT_RETENTION}; at least 1 ms, or platform-api
 *     does not start: an audit log kept for no time is none)
 */
@ConfigurationProperties("nanolet.audit")
record AuditProperties(@DefaultValue("90d") Duration retention) {

    AuditProperties {
        Setting.of("nanolet.audit.retention", "NANOLET_AUDIT_RETENTION").atLeast(Duration.ofMillis(1), retention);
    }
}
