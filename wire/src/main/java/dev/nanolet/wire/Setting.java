package dev.nanolet.wire;

import java.time.Duration;

/**
 * A service's setting as an operator writes it: its property ({@code nanolet.http.max-headers}) and, where the docs name
 * one, its environment variable ({@code NANOLET_MAX_HEADERS}). The settings records check their values with it in their
 * compact constructors, so that a value that cannot work stops the service at start with one message form, naming the
 * setting, the bound and the value: {@code nanolet.http.max-headers (NANOLET_MAX_HEADERS) must be at least 1, not 0}; a
 * setting bounded on both sides names both ends ({@code must be between 1 and 65535, not 0}).
 * Spring prints that message as the reason the application failed to start.
 *
 * @param property the property, as in application.yml
 * @param variable its environment variable, or null when the docs name none
 */
public record Setting(String property, String variable) {

    public Setting {
        if (property == null || property.isBlank()) {
            throw new IllegalArgumentException("a setting needs its property");
        }
    }

    /** A setting without an environment variable of its own. */
    public static Setting of(String property) {
        return new Setting(property, null);
    }

    /** A setting with its environment variable. */
    public static Setting of(String property, String variable) {
        return new Setting(property, variable);
    }

    /** {@code value}, if it is at least {@code least}. */
    public int atLeast(int least, int value) {
        return (int) atLeast((long) least, value);
    }

    /** {@code value}, if it is at least {@code least}. */
    public long atLeast(long least, long value) {
        return check(value >= least, "at least " + least, Long.toString(value), value);
    }

    /** {@code bytes}, if they are at least {@code least}; both are written in bytes ({@code 1B}). */
    public long bytesAtLeast(long least, long bytes) {
        return check(bytes >= least, "at least " + least + "B", bytes + "B", bytes);
    }

    /** {@code value}, if it is at least {@code least}; none (an empty value, which binds to none) is refused as {@code empty}. */
    public Duration atLeast(Duration least, Duration value) {
        return check(value != null && value.compareTo(least) >= 0, "at least " + written(least), value == null ? "empty" : written(value), value);
    }

    /** {@code value}, if it lies from {@code least} to {@code most}, both included. */
    public long between(long least, long most, long value) {
        return check(value >= least && value <= most, "between " + least + " and " + most, Long.toString(value), value);
    }

    /** {@code value}, if it lies from {@code least} to {@code most}, both included. */
    public Duration between(Duration least, Duration most, Duration value) {
        return check(value.compareTo(least) >= 0 && value.compareTo(most) <= 0,
                "between " + written(least) + " and " + written(most), written(value), value);
    }

    /** {@code value}, if it is at least {@code floor}'s value {@code least}: a setting bounded by another one. */
    public Duration atLeast(Setting floor, Duration least, Duration value) {
        return check(value.compareTo(least) >= 0, "at least " + written(least) + " (" + floor.property() + ")", written(value), value);
    }

    /** The property, and its variable in parentheses if it has one. */
    @Override
    public String toString() {
        return variable == null ? property : property + " (" + variable + ")";
    }

    private <T> T check(boolean within, String bounds, String written, T value) {
        if (!within) {
            throw new IllegalArgumentException(this + " must be " + bounds + ", not " + written);
        }
        return value;
    }

    /** A duration as an operator writes one in its largest whole unit ({@code 1d}, {@code 10s}, {@code 250ms}), else ISO. */
    static String written(Duration d) {
        long s = d.getSeconds();
        if (d.getNano() == 0) {
            return s == 0 ? "0s" : s % 86_400 == 0 ? s / 86_400 + "d" : s % 3_600 == 0 ? s / 3_600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
        }
        if (d.getNano() % 1_000_000 == 0 && s > Long.MIN_VALUE / 1000 && s < Long.MAX_VALUE / 1000) {
            return d.toMillis() + "ms";
        }
        return d.toString();
    }
}
