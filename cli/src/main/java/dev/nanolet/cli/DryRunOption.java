package dev.nanolet.cli;

import picocli.CommandLine.Option;

/**
 * {@code --dry-run} on a write the server can dry-run ({@code ?dryRun=All}, docs/api.md "Dry runs"): checked,
 * authorized and answered as the write would be — the same 404, 409, 412 and 422, so the same exit codes — and
 * nothing stored. The one way a command asks for a dry run and says what would happen.
 */
final class DryRunOption {
    static final String PARAMETER = "dryRun=All";

    @Option(names = "--dry-run", description = "check and answer as the write would, but change nothing (apply still uploads the module files it names)")
    boolean dryRun;

    /** {@code path} (with or without a query) with {@code dryRun=All} added when --dry-run was given. */
    String path(String path) {
        return dryRun ? path + (path.indexOf('?') < 0 ? '?' : '&') + PARAMETER : path;
    }

    /** Says on stderr that {@code subject} is (or, with --dry-run, would be) {@code participle}. */
    void report(String subject, String participle) {
        Output.progress(said(dryRun, subject, participle) + (dryRun ? " (dry run: nothing written)" : ""));
    }

    /** "{@code subject participle}", or for a dry run "{@code subject} would be {@code participle}". */
    static String said(boolean dryRun, String subject, String participle) {
        return subject + (dryRun ? " would be " : " ") + participle;
    }
}
