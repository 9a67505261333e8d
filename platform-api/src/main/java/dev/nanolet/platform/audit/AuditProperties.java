package dev.nanolet.platform.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit log's bound ({@code nanolet.audit.*}).
 *
 * @param retention entries older than this are deleted (env {@code NANOLET_AUDIT_RETENTION})
 */
@ConfigurationProperties("nanolet.audit")
record AuditProperties(@DefaultValue("90d") Duration retention) {}
