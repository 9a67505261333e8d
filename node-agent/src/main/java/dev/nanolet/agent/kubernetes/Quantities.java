package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;

/**
 * A pod's resource quantities as numbers, bounded before any arithmetic on them. An API server keeps a quantity with
 * an exponent as it is written (only binary-suffixed ones are capped), and {@code 1e999999999} is a small
 * {@link BigDecimal} whose division to MiB, or whose integer, takes hours: on the thread that weighs every pod.
 */
final class Quantities {

    /** Values of 10^30 or more are refused: more than any node's memory in bytes or processors in millis. */
    private static final int MAX_MAGNITUDE = 30;
    /**
     * Longer quantities are refused unread: an API server's are about 20 characters at most, and a BigDecimal of a
     * million digits (a pod's spec may hold them) takes a minute to parse on the thread that weighs every pod.
     */
    private static final int MAX_LENGTH = Excerpt.MAX;
    /** A value closer to 0 than 1n is 1n, as an API server rounds it. */
    private static final BigDecimal NANO = BigDecimal.ONE.movePointLeft(9);

    private Quantities() {}

    /**
     * The value of {@code q} (with its suffix: bytes for memory, cores for CPU).
     *
     * @throws IllegalArgumentException if it is not a quantity, longer than 64 characters, or not below 10^30
     */
    static BigDecimal amount(Quantity q) {
        if (String.valueOf(q).length() > MAX_LENGTH) {
            throw new IllegalArgumentException(text(q) + " is too long");
        }
        BigDecimal v;
        try {
            v = Quantity.getAmountInBytes(q);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(text(q) + " is too large");
        }
        if (v.signum() == 0) {
            return v;
        }
        long magnitude = (long) v.precision() - v.scale(); // |v| < 10^magnitude
        if (magnitude > MAX_MAGNITUDE) {
            throw new IllegalArgumentException(text(q) + " is too large");
        }
        return magnitude <= -9 ? (v.signum() > 0 ? NANO : NANO.negate()) : v;
    }

    /** {@code q} as a message shows it: its first characters only, if it is longer than a quantity may be. */
    static String text(Quantity q) {
        return Excerpt.of(q);
    }
}
