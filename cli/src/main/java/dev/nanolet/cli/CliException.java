package dev.nanolet.cli;

/** A failure that ends the command with {@code exitCode} and {@code getMessage()} on stderr. */
final class CliException extends RuntimeException {
    /** Exit codes a pipeline can rely on (docs/ci.md); 141 (128 + SIGPIPE) where stdout's reader has gone ({@link Stdout}). */
    static final int OK = 0, ROLLOUT_FAILED = 1, USAGE = 2, FORBIDDEN = 3, UNREACHABLE = 4, READER_GONE = 141;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
