package dev.nanolet.limits;

/** A module that {@link ModuleScanner} refuses; the message says why in terms a module's author understands. */
public abstract sealed class ModuleCheckException extends RuntimeException
        permits ModuleCheckException.LimitExceeded, ModuleCheckException.Malformed {

    ModuleCheckException(String message) {
        super(message);
    }

    /**
     * The module declares more than a limit allows.
     *
     * @param limit the limit's name as configured, for example {@code max-locals}, or a feature such as {@code multi-memory}
     */
    public static final class LimitExceeded extends ModuleCheckException {
        private final String limit;
        private final long value;
        private final long max;

        LimitExceeded(String limit, long value, long max, String what) {
            super(what + " (limit " + limit + ": " + max + ")");
            this.limit = limit;
            this.value = value;
            this.max = max;
        }

        public String limit() {
            return limit;
        }

        public long value() {
            return value;
        }

        public long max() {
            return max;
        }
    }

    /** The bytes are not a well-formed module, for example a size that runs past the end. */
    public static final class Malformed extends ModuleCheckException {
        Malformed(String message) {
            super(message);
        }
    }
}
