package dev.nanolet.platform.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what a request may send or hold open ({@code nanolet.api.*}).
 *
 * @param maxBodySize the largest request body (JSON) on every endpoint but module upload, which has
 *     {@code nanolet.modules.max-size}; larger bodies get 413 (env {@code NANOLET_API_MAX_BODY_SIZE})
 * @param maxLogFollowsPerToken followed logs ({@code ?follow=true}) one credential may hold open at once on one
 *     instance, each a thread, a connection to every node running a replica and a token check every 2 s; one more
 *     gets 429 (env {@code NANOLET_API_MAX_LOG_FOLLOWS_PER_TOKEN}; at least 1, or platform-api does not start)
 * @param logTailTime how long a log read without follow waits for the nodes' tails, from the first call to the last
 *     byte; a node still sending then is cut off, and the lines of the others are sent (env
 *     {@code NANOLET_API_LOG_TAIL_TIME}; more than zero, or platform-api does not start)
 */
@ConfigurationProperties("nanolet.api")
public record ApiLimits(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("16") int maxLogFollowsPerToken,
        @DefaultValue("20s") Duration logTailTime) {
    public ApiLimits {
        if (maxLogFollowsPerToken < 1) {
            throw new IllegalArgumentException("nanolet.api.max-log-follows-per-token (NANOLET_API_MAX_LOG_FOLLOWS_PER_TOKEN) must be "
                    + "at least 1, not " + maxLogFollowsPerToken + ": 0 would refuse every followed log");
        }
        if (!logTailTime.isPositive()) {
            throw new IllegalArgumentException("nanolet.api.log-tail-time (NANOLET_API_LOG_TAIL_TIME) must be more than zero, not "
                    + logTailTime + ": it would cut every node's tail");
        }
    }
}
