package dev.nanolet.ui.platform;

import dev.nanolet.wire.Problem;

/** Root of what can go wrong when admin-ui talks to platform-api. */
public sealed class PlatformException extends RuntimeException
        permits PlatformException.Refused, PlatformException.Unavailable, PlatformException.Malformed {

    PlatformException(String message, Throwable cause) {
        super(message, cause);
    }

    /** platform-api answered with an error status; {@code problem} is its RFC 9457 body (or one made up). */
    public static final class Refused extends PlatformException {
        private final transient Problem problem;
        private final String resourceVersion;

        Refused(Problem problem) {
            this(problem, null);
        }

        /** Its message: status and title, then the detail if there is one (a proxy's bare 403 has none; never "null"). */
        Refused(Problem problem, String resourceVersion) {
            super(problem.status() + " " + problem.title()
                    + (problem.detail() == null || problem.detail().isBlank() ? "" : ": " + problem.detail()), null);
            this.problem = problem;
            this.resourceVersion = resourceVersion;
        }

        public Problem problem() {
            return problem;
        }

        public int status() {
            return problem.status();
        }

        /**
         * The problem's {@code resourceVersion}: in a 412, the version of the object the write met (docs/api.md, "Conditional
         * writes"); null when the object does not exist, when the member is no string, and in other problems.
         */
        public String resourceVersion() {
            return resourceVersion;
        }

        /** 412: the write's {@link WriteCondition} no longer held (another write came first); nothing was written. */
        public boolean preconditionFailed() {
            return problem.status() == 412;
        }
    }

    /** platform-api could not be reached or did not answer in time. */
    public static final class Unavailable extends PlatformException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** platform-api answered with success but not with what it documents (not JSON, or JSON of another shape): a proxy's page, a wrong URL. */
    public static final class Malformed extends PlatformException {
        Malformed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
