package dev.nanolet.platform.web;

import dev.nanolet.wire.Digits;
import java.beans.PropertyEditorSupport;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Every whole number the API reads from a query or path parameter ({@code ?limit=}, {@code ?tail=}, {@code ?before=},
 * {@code ?minutes=}, …, any {@code int}, {@code Integer}, {@code long} or {@code Long} a handler takes) is ASCII digits
 * and nothing else. Spring's own conversion trims spaces, takes a sign, {@code 0x5} and {@code #5}, and any script's
 * digits ({@code ٥} is 5), so a value no client should send would be read as a number. A refusal is 400 naming the
 * parameter ({@link ProblemAdvice}); an empty value stays "absent", as before.
 * <p>
 * These are property editors, not a {@code Converter}: Spring tries its default number editor after a failed converter,
 * and that editor takes all of the above.
 */
@ControllerAdvice
class QueryNumbers {
    static final String RULE = "must be a whole number written with the digits 0-9 only (no sign, space or prefix)";

    @InitBinder
    void strictNumbers(WebDataBinder binder) {
        Strict ints = new Strict(10, Integer.MAX_VALUE);
        Strict longs = new Strict(Digits.MAX_DIGITS, Long.MAX_VALUE);
        binder.registerCustomEditor(int.class, ints);
        binder.registerCustomEditor(Integer.class, ints);
        binder.registerCustomEditor(long.class, longs);
        binder.registerCustomEditor(Long.class, longs);
    }

    /** Whether {@code e} or one of its causes is a parameter refused here. */
    static boolean refused(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof NotDigits) {
                return true;
            }
        }
        return false;
    }

    /** Up to {@code maxDigits} ASCII digits, at most {@code max}, as an {@code Integer} when {@code max} fits one. */
    private static final class Strict extends PropertyEditorSupport {
        private final int maxDigits;
        private final long max;

        Strict(int maxDigits, long max) {
            this.maxDigits = maxDigits;
            this.max = max;
        }

        @Override
        public void setAsText(String text) {
            if (text.isEmpty()) {
                setValue(null);
                return;
            }
            long value = Digits.parse(text, maxDigits).stream().filter(v -> v <= max).findFirst().orElseThrow(NotDigits::new);
            setValue(max <= Integer.MAX_VALUE ? Integer.valueOf((int) value) : Long.valueOf(value));
        }
    }

    /** A parameter that is not {@link #RULE}. */
    private static final class NotDigits extends IllegalArgumentException {
        NotDigits() {
            super(RULE);
        }
    }
}
