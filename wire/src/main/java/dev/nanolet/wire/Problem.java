package dev.nanolet.wire;

import java.util.List;

/**
 * An RFC 9457 problem detail as Nanolet sends it ({@code application/problem+json}).
 *
 * @param errors for validation failures, each field at fault by JSON path (for example {@code spec.replicas})
 */
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {
    public Problem {
        errors = Collections2.list(errors);
    }

    /** One invalid field. */
    public record FieldError(String field, String message) {}
}
