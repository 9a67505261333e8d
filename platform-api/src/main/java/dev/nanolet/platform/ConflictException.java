package dev.nanolet.platform;

import dev.nanolet.wire.Problem.FieldError;
import java.util.List;

/**
 * The request clashes with the current state (in use, illegal transition, a route another
 * deployment serves); the API answers 409, with the field at fault in {@code errors} when there is one.
 */
public class ConflictException extends NanoletException {
    private final List<FieldError> errors;
    private final String namespace;
    private final String withheld;

    public ConflictException(String message) {
        super(message);
        this.errors = List.of();
        this.namespace = null;
        this.withheld = null;
    }

    public ConflictException(String field, String message) {
        this(field, message, null, null);
    }

    /**
     * A conflict with an object of {@code namespace} that {@code message} names; a caller who may not read that
     * namespace is told {@code withheld} instead ({@link #withheld()}), which says what clashed but not whose it is.
     */
    public ConflictException(String field, String message, String namespace, String withheld) {
        super(field + ": " + message);
        this.errors = List.of(new FieldError(field, message));
        this.namespace = namespace;
        this.withheld = withheld;
    }

    /** The namespace of the other object the message names; null when it names none. */
    public String namespace() {
        return namespace;
    }

    /** This conflict as told to a caller who may not read {@link #namespace()}. */
    public ConflictException withheld() {
        return namespace == null ? this : new ConflictException(errors.getFirst().field(), withheld);
    }

    /** This conflict with its field named under {@code prefix} (a manifest's {@code documents[i].spec.}). */
    public ConflictException under(String prefix) {
        FieldError error = errors.getFirst();
        return new ConflictException(prefix + error.field(), error.message(), namespace, withheld);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
