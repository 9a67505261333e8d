package dev.nanolet.platform.deployment;

import dev.nanolet.platform.BadRequestException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ?wait=true&timeout=120s&atomic=true} of apply and rollback, and {@code ?timeout=} of
 * {@code GET …/rollout}. A timeout is a number with {@code ms}, {@code s} or {@code m}, or plain
 * seconds; 0 to 1 h; 120 s when absent.
 */
record WaitOptions(boolean waits, Duration timeout, boolean atomic) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(ms|s|m)?");

    static WaitOptions of(boolean wait, String timeout, boolean atomic) {
        if (atomic && !wait) {
            throw new BadRequestException("atomic=true needs wait=true: the rollout is rolled back when waiting for it fails");
        }
        return new WaitOptions(wait, timeout(timeout), atomic);
    }

    static Duration timeout(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new BadRequestException("timeout: must be a duration such as 120s, 2m or 500ms");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(MAX_TIMEOUT) > 0) {
            throw new BadRequestException("timeout: must be at most 1h");
        }
        return d;
    }
}
