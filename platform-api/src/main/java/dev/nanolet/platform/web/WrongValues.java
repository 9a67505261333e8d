package dev.nanolet.platform.web;

import dev.nanolet.wire.Problem.FieldError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every value of the wrong type in one body, and in a strict body every unknown field, thrown once the body was read
 * ({@link WrongValueCollector}, {@link UnknownFieldCollector}): Jackson stops at the first, so a body with several named
 * only it. Names the first {@link #NAMED} by their JSON path; counts the others up to {@link #COUNTED} in all, where
 * reading stops, so that a hostile body of 100,000 such values or fields costs no more than 1,000 and its answer names 20.
 */
public final class WrongValues extends MismatchedInputException {
    static final int NAMED = 20;
    static final int COUNTED = 1000;
    private static final String KEY = WrongValues.class.getName();

    private final transient List<FieldError> named = new ArrayList<>();
    private int count;
    private int unknownFields;
    /** The JSON paths of the objects being read, the innermost first. */
    private final transient Deque<String> objects = new ArrayDeque<>();

    private WrongValues(JsonParser p) {
        super(p, "values of the wrong type");
    }

    /** No stack trace: made at the start of every body read, and answered at the edge, where none is shown. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** The errors named, at most {@link #NAMED}, in body order (an object's unknown fields after its other values). */
    public List<FieldError> named() {
        return List.copyOf(named);
    }

    /** Whether every error is an unknown field: a 422, as one unknown field alone always was; else a 400. */
    public boolean onlyUnknownFields() {
        return unknownFields == count;
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
            detail += " (and " + (countStopped() ? "at least " : "") + others + " more " + kinds(others) + ", "
                    + (more() == 0 ? "each named in errors)" : "the first " + NAMED + " in all named in errors)");
        }
        return detail;
    }

    /**
     * What {@code n} errors of this body are called: values of the wrong type, unknown fields, or, when it holds both,
     * either.
     */
    public String kinds(int n) {
        String s = n == 1 ? "" : "s";
        String values = "value" + s + " of the wrong type";
        String fields = "unknown field" + s;
        return unknownFields == 0 ? values : onlyUnknownFields() ? fields : values + " or " + fields;
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

    /** Adds {@code e}, thrown where {@code p} stands; throws this once {@link #COUNTED} are. */
    void add(JsonParser p, MismatchedInputException e) {
        add(new FieldError(path(p.streamReadContext()), JsonProblems.message(e)));
    }

    /** Adds the unknown field {@code name} of the innermost object being read; throws this once {@link #COUNTED} are. */
    void addUnknown(String name, UnrecognizedPropertyException e) {
        unknownFields++;
        String object = objects.isEmpty() ? "" : objects.peek();
        add(new FieldError(object.isEmpty() ? name : object + "." + name, JsonProblems.message(e)));
    }

    /**
     * Notes that the object at {@code path} is being read, until {@link #leave}: a record's unknown fields are handed
     * over once it was read, from a buffer of their own, where the body's parser no longer says where they were.
     */
    void enter(String path) {
        objects.push(path);
    }

    void leave() {
        objects.pop();
    }

    private void add(FieldError error) {
        count++;
        if (named.size() < NAMED) {
            named.add(error);
        }
        if (count >= COUNTED) {
            throw this;
        }
    }

    /** The JSON path of where a parser stands: {@code limits.memoryMiB}, {@code args[2]}, {@code grants[0].role}. */
    static String path(TokenStreamContext at) {
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
