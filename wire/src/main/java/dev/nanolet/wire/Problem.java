package dev.nanolet.wire;

import java.util.List;

/**
 * An RFC 9457 problem detail as Nanolet sends it ({@code application/problem+json}).
 *
 * @param errors for validation failures, each field at fault by JSON path (for example {@code spec.replicas})
 * @param moreErrors how many more values of the wrong type or unknown fields a body holds than {@code errors} names (it
 *     names at most 20): in a 400, or in a 422 when all are unknown fields; null when {@code errors} names them all
 */
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors,
        Integer moreErrors) {
    public Problem {
        errors = Collections2.list(errors);
    }

    /** A problem whose {@code errors}, if any, name every field at fault. */
    public Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {
        this(type, title, status, detail, instance, errors, null);
    }

    /** One invalid field. */
    public record FieldError(String field, String message) {}
}
