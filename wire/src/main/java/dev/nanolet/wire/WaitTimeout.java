package dev.nanolet.wire;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code timeout} of a rollout wait ({@code ?timeout=120s}, the CLI's {@code --timeout}): a whole
 * number in ASCII digits with {@code ms}, {@code s}, {@code m} or {@code h}, or plain seconds, and nothing around it (no sign,
 * no space: a query parameter's value is read as sent); one parser for the API and the CLI.
 */
public final class WaitTimeout {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(ms|s|m|h)?");

    /** The longest wait platform-api takes (1 h included): a longer one is its 400 and, checked before sending, the CLI's exit 2. */
    public static final Duration MAX = Duration.ofHours(1);

    private WaitTimeout() {}

    /** The duration {@code text} names. @throws IllegalArgumentException if it names none */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a duration such as 120s, 2m, 1h or 500ms");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
