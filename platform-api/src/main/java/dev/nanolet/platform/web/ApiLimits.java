package dev.nanolet.platform.web;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what a request may send or hold open ({@code nanolet.api.*}).
 *
 * @param maxBodySize the largest request body (JSON) on every endpoint but module upload, which has
 *     {@code nanolet.modules.max-size}; larger bodies get 413 (env {@code NANOLET_API_MAX_BODY_SIZE}; at least 1 byte, or
 *     platform-api does not start)
 * @param maxLogFollowsPerToken followed logs ({@code ?follow=true}) one credential may hold open at once on one
 *     instance, each a thread, a connection to every node running a replica and a token check every 2 s; one more
 *     gets 429 (env {@code NANOLET_API_MAX_LOG_FOLLOWS_PER_TOKEN}; at least 1, or platform-api does not start)
 * @param logTailTime how long a log read without follow waits for the nodes' tails, from the first call to the last
 *     byte; a node still sending then is cut off, and the lines of the others are sent (env
 *     {@code NANOLET_API_LOG_TAIL_TIME}; at least 1 ms, or platform-api does not start: it would cut every node's tail)
 */
@ConfigurationProperties("nanolet.api")
public record ApiLimits(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("16") int maxLogFollowsPerToken,
        @DefaultValue("20s") Duration logTailTime) {
    public ApiLimits {
        Setting.of("nanolet.api.max-body-size", "NANOLET_API_MAX_BODY_SIZE").bytesAtLeast(1, maxBodySize.toBytes());
        Setting.of("nanolet.api.max-log-follows-per-token", "NANOLET_API_MAX_LOG_FOLLOWS_PER_TOKEN").atLeast(1, maxLogFollowsPerToken);
        Setting.of("nanolet.api.log-tail-time", "NANOLET_API_LOG_TAIL_TIME").atLeast(Duration.ofMillis(1), logTailTime);
    }
}
