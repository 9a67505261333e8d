package dev.nanolet.platform.dryrun;

import dev.nanolet.platform.BadRequestException;
import dev.nanolet.platform.precondition.ETagAdvice;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@code dryRun} parameter of a write, as Kubernetes takes it: absent, or {@code All}; any other value is 400. A
 * write that takes it declares it as a request parameter named {@code dryRun} and checks, authorizes and answers as
 * the write would, writing nothing; every other write refuses it ({@link DryRunRefusal}), so none ignores it.
 */
public final class DryRun {
    /** The parameter's name. */
    public static final String PARAMETER = "dryRun";

    private DryRun() {}

    /** Whether {@code dryRun} asks for a dry run; if so, marks the answer to {@code request} as one ({@link ETagAdvice}). */
    public static boolean requested(String dryRun, HttpServletRequest request) {
        if (dryRun == null) {
            return false;
        }
        if (!dryRun.equals("All")) {
            throw new BadRequestException("dryRun: the only value is All");
        }
        ETagAdvice.markDryRun(request);
        return true;
    }

    /** Runs {@code dry} when {@code dryRun} asks for a dry run ({@link #requested}), else {@code write}. */
    public static void either(String dryRun, HttpServletRequest request, Runnable dry, Runnable write) {
        (requested(dryRun, request) ? dry : write).run();
    }
}
