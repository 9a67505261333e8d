package dev.nanolet.platform.deployment;

import dev.nanolet.platform.BadRequestException;
import dev.nanolet.platform.precondition.ETagAdvice;
import jakarta.servlet.http.HttpServletRequest;

/** The {@code dryRun} parameter of an apply, as Kubernetes takes it: absent, or {@code All}; any other value is 400. */
final class DryRun {
    private DryRun() {}

    /** Whether {@code dryRun} asks for a dry run; if so, marks the answer to {@code request} as one ({@link ETagAdvice}). */
    static boolean requested(String dryRun, HttpServletRequest request) {
        if (dryRun == null) {
            return false;
        }
        if (!dryRun.equals("All")) {
            throw new BadRequestException("dryRun: the only value is All");
        }
        ETagAdvice.markDryRun(request);
        return true;
    }
}
