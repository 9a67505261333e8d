package dev.nanolet.platform.audit;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What a handler tells the audit once its write is committed: the status the write itself has. When the request then
 * answers another status (a {@code wait=true} that ends 401, 404, 422 or 503), {@link AuditFilter} records that
 * status answered with this one as {@code written}, so the entry does not read as a refusal that wrote nothing.
 */
public final class Written {
    private static final String ATTRIBUTE = Written.class.getName();

    private Written() {}

    /** Marks the write of {@code request} done with {@code status} (200, 201), before anything that may answer otherwise. */
    public static void mark(HttpServletRequest request, int status) {
        request.setAttribute(ATTRIBUTE, status);
    }

    /**
     * Takes the mark back: the write was undone ({@code atomic=true} after a failed rollout), so it does not stay written
     * and the entry's status answered is the whole story again, as the 422's {@code atomic} says.
     */
    public static void unmark(HttpServletRequest request) {
        request.removeAttribute(ATTRIBUTE);
    }

    /** The status the write had, when the request answered {@code answered} instead; else null. */
    static Integer besides(HttpServletRequest request, int answered) {
        return request.getAttribute(ATTRIBUTE) instanceof Integer status && status != answered ? status : null;
    }
}
