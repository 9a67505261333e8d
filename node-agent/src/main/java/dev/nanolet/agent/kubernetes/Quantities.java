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
    /** A value closer to 0 than 1n is 1n, as an API server rounds it. */
    private static final BigDecimal NANO = BigDecimal.ONE.movePointLeft(9);

    private Quantities() {}

    /**
     * The value of {@code q} (with its suffix: bytes for memory, cores for CPU).
     *
     * @throws IllegalArgumentException if it is not a quantity, or not below 10^30
     */
    static BigDecimal amount(Quantity q) {
        BigDecimal v;
        try {
            v = Quantity.getAmountInBytes(q);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(q + " is too large");
        }
        if (v.signum() == 0) {
            return v;
        }
        long magnitude = (long) v.precision() - v.scale(); // |v| < 10^magnitude
        if (magnitude > MAX_MAGNITUDE) {
            throw new IllegalArgumentException(q + " is too large");
        }
        return magnitude <= -9 ? (v.signum() > 0 ? NANO : NANO.negate()) : v;
    }
}
