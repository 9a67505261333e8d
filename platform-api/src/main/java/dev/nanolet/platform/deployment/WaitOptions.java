package dev.nanolet.platform.deployment;

import dev.nanolet.platform.BadRequestException;
import dev.nanolet.wire.WaitTimeout;
import java.time.Duration;

/**
 * {@code ?wait=true&timeout=120s&atomic=true} of apply and rollback, and {@code ?timeout=} of
 * {@code GET …/rollout}. A timeout is a number with {@code ms}, {@code s}, {@code m} or {@code h}, or plain
 * seconds; 0 to 1 h; 120 s when absent.
 */
record WaitOptions(boolean waits, Duration timeout, boolean atomic) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    static final Duration MAX_TIMEOUT = WaitTimeout.MAX;

    static WaitOptions of(boolean wait, String timeout, boolean atomic) {
        if (atomic && !wait) {
            throw new BadRequestException("atomic=true needs wait=true: the rollout is rolled back when waiting for it fails");
        }
        return new WaitOptions(wait, timeout(timeout), atomic);
    }

    static Duration timeout(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_TIMEOUT;
        }
        Duration d;
        try {
            d = WaitTimeout.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("timeout: " + e.getMessage());
        }
        if (d.compareTo(MAX_TIMEOUT) > 0) {
            throw new BadRequestException("timeout: must be at most 1h");
        }
        return d;
    }
}
