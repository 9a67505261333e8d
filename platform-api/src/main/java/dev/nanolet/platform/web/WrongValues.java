package dev.nanolet.platform.web;

import dev.nanolet.wire.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * Every value of the wrong type in one body, thrown once the body was read ({@link WrongValueCollector}): Jackson stops
 * at the first, so a body with several named only it. Names the first {@link #NAMED} by their JSON path; counts the
 * others up to {@link #COUNTED} in all, where reading stops, so that a hostile body of 100,000 such values costs no more
 * than 1,000 and its answer names 20.
 */
public final class WrongValues extends MismatchedInputException {
    static final int NAMED = 20;
    static final int COUNTED = 1000;
    private static final String KEY = WrongValues.class.getName();

    private final transient List<FieldError> named = new ArrayList<>();
    private int count;
    private transient FieldError unknownField;

    private WrongValues(JsonParser p) {
        super(p, "values of the wrong type");
    }

    /** No stack trace: made at the start of every body read, and answered at the edge, where none is shown. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** The errors named, at most {@link #NAMED}, in body order; then the unknown field reading stopped at, if it did. */
    public List<FieldError> named() {
        List<FieldError> all = new ArrayList<>(named);
        if (unknownField != null) {
            all.add(unknownField);
        }
        return List.copyOf(all);
    }

    /** How many more the body holds than {@link #named} says; at least this many when {@link #countStopped}. */
    public int more() {
        return count - named.size();
    }

    /** Whether reading stopped at {@link #COUNTED}: the body may hold more than {@link #more} says. */
    public boolean countStopped() {
        return count >= COUNTED;
    }

    /**
     * What a problem's {@code detail} says: the first value and its message, and how many more there are, all named in
     * {@code errors} or, past {@link #NAMED}, counted.
     */
    public String detail() {
        FieldError first = named.getFirst();
        String detail = (first.field().isEmpty() ? "the request body" : first.field()) + ": " + first.message();
        int others = count - 1;
        if (others > 0) {
            detail += " (and " + (countStopped() ? "at least " : "") + others + " more value" + (others == 1 ? "" : "s")
                    + " of the wrong type, " + (more() == 0 ? "each named in errors)" : "the first " + NAMED + " in all named in errors)");
        }
        return unknownField == null ? detail
                : detail + "; reading stopped at an unknown field, " + unknownField.field() + ", named last in errors";
    }

    /** Those of the deserialization {@code ctxt} reads, made by its first value read; null when none was. */
    static WrongValues of(DeserializationContext ctxt) {
        return ctxt.getAttribute(KEY) instanceof WrongValues values ? values : null;
    }

    /** Starts those of {@code ctxt}: its first value is read. */
    static WrongValues start(JsonParser p, DeserializationContext ctxt) {
        WrongValues values = new WrongValues(p);
        ctxt.setAttribute(KEY, values);
        return values;
    }

    /** Ends those of {@code ctxt}: its body was read. */
    static void end(DeserializationContext ctxt) {
        ctxt.setAttribute(KEY, null);
    }

    int count() {
        return count;
    }

    /**
     * Names the unknown field where reading stopped, after the wrong values met before it: one answer names both, where
     * the unknown field's own 422 named it alone. Returns these, to be thrown.
     */
    WrongValues stoppedAt(PropertyBindingException unknown) {
        unknownField = new FieldError(JsonPaths.of(unknown.getPath()), JsonProblems.message(unknown));
        return this;
    }

    /** Adds {@code e}, thrown where {@code p} stands; throws this once {@link #COUNTED} are. */
    void add(JsonParser p, MismatchedInputException e) {
        count++;
        if (named.size() < NAMED) {
            named.add(new FieldError(path(p.streamReadContext()), JsonProblems.message(e)));
        }
        if (count >= COUNTED) {
            throw this;
        }
    }

    /** The JSON path of where a parser stands: {@code limits.memoryMiB}, {@code args[2]}, {@code grants[0].role}. */
    private static String path(TokenStreamContext at) {
        List<String> segments = new ArrayList<>();
        for (TokenStreamContext c = at; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.hasCurrentName()) {
                segments.addFirst("." + c.currentName());
            } else if (c.inArray() && c.hasCurrentIndex()) {
                segments.addFirst("[" + c.getCurrentIndex() + "]");
            }
        }
        String path = String.join("", segments);
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
