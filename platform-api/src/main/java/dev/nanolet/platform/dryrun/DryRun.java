package dev.nanolet.platform.dryrun;

import dev.nanolet.platform.BadRequestException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@code dryRun} parameter of a write, as Kubernetes takes it: absent, or {@code All}; any other value is 400. A
 * write that takes it declares it as a request parameter named {@code dryRun} and checks, authorizes and answers as
 * the write would, writing nothing; every other write refuses it ({@link DryRunRefusal}), so none ignores it.
 */
public final class DryRun {
    /** The parameter's name. */
    public static final String PARAMETER = "dryRun";
    private static final String ATTRIBUTE = DryRun.class.getName() + ".marked";

    private DryRun() {}

    /** Whether {@code dryRun} asks for a dry run; if so, marks {@code request} as one ({@link #marked}). */
    public static boolean requested(String dryRun, HttpServletRequest request) {
        if (dryRun == null) {
            return false;
        }
        if (!dryRun.equals("All")) {
            throw new BadRequestException("dryRun: the only value is All");
        }
        request.setAttribute(ATTRIBUTE, Boolean.TRUE);
        return true;
    }

    /**
     * Whether the handler of {@code request} took it as a dry run ({@link #requested}): what its answer's {@code ETag} goes
     * by. A request parameter alone decides nothing: a {@code dryRun} refused (400, {@link DryRunRefusal}) or never read
     * (a read, a write refused before its handler ran) leaves the request unmarked. Its audit entry goes by what the
     * request asked for ({@link DryRunIntent}), refused or not.
     */
    public static boolean marked(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) != null;
    }

    /** Runs {@code dry} when {@code dryRun} asks for a dry run ({@link #requested}), else {@code write}. */
    public static void either(String dryRun, HttpServletRequest request, Runnable dry, Runnable write) {
        (requested(dryRun, request) ? dry : write).run();
    }
}
