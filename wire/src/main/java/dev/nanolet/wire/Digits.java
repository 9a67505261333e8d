package dev.nanolet.wire;

import java.util.OptionalLong;

/**
 * A whole number written as an operator, a peer or a module must write it: ASCII decimal digits only. {@link
 * Integer#parseInt} and {@link Long#parseLong} also take a leading {@code +} or {@code -} and any script's decimal
 * digits (Arabic-Indic {@code ٨} is 8), so text that is no number in the format's grammar (a CIDR prefix, a CGI
 * status, an event id) would count as one.
 */
public final class Digits {
    /** The most digits {@link #parse} takes: 18 never overflow a {@code long}. */
    public static final int MAX_DIGITS = 18;

    private Digits() {}

    /**
     * The value of {@code text} if it is 1 to {@code maxDigits} ASCII digits ({@code 0}–{@code 9}) and nothing else: no
     * sign, no space, no other script's digits; empty for anything else, {@code null} included.
     *
     * @throws IllegalArgumentException if {@code maxDigits} is not from 1 to {@value #MAX_DIGITS}
     */
    public static OptionalLong parse(String text, int maxDigits) {
        if (maxDigits < 1 || maxDigits > MAX_DIGITS) {
            throw new IllegalArgumentException("maxDigits " + maxDigits + " is not from 1 to " + MAX_DIGITS);
        }
        if (text == null || text.isEmpty() || text.length() > maxDigits || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(text));
    }
}
