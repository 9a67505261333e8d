package dev.nanolet.platform.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.PropertyName;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.std.ContainerDeserializerBase;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Reads a value with the deserializer it wraps and, when the value has the wrong type (a {@link MismatchedInputException}:
 * a string where a number belongs, a number where a name or a string does, a {@code null} in an array, …), adds it to
 * the body's {@link WrongValues}, skips the value and reads on as if it were empty, so that every such value of the body
 * is found. The first value read, the body's, throws them once read, and ends them: the next value its context reads
 * (a root array's next element, a stream's next value) is a body of its own. A {@code null} inside an array, which the
 * array refuses itself, is one such value too: its elements after it are read on ({@link #readOn}). A strict body's
 * unknown fields are added to them too ({@link UnknownFieldCollector}). Malformed JSON still ends reading at once, as
 * does an object that cannot be made for another reason than a value skipped inside it. What fails once a value inside
 * was skipped (the object made without it) is not named again.
 */
final class WrongValueCollector extends DelegatingDeserializer {
    WrongValueCollector(ValueDeserializer<?> delegate) {
        super(delegate);
    }

    @Override
    protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
        return new WrongValueCollector(delegate);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) {
        WrongValues values = WrongValues.of(ctxt);
        if (values != null) {
            return read(p, ctxt, values);
        }
        values = WrongValues.start(p, ctxt);
        try {
            Object value = read(p, ctxt, values);
            if (values.count() > 0) {
                throw values;
            }
            return value;
        } finally { // the next value this context reads (a stream's next, a root array's next element) is a body of its own
            WrongValues.end(ctxt);
        }
    }

    private Object read(JsonParser p, DeserializationContext ctxt, WrongValues values) {
        if (!p.isExpectedStartObjectToken()) {
            return readValue(p, ctxt, values);
        }
        values.enter(WrongValues.path(p.streamReadContext()));
        try {
            return readValue(p, ctxt, values);
        } finally {
            values.leave();
        }
    }

    private Object readValue(JsonParser p, DeserializationContext ctxt, WrongValues values) {
        int before = values.count();
        int depth = p.isExpectedStartObjectToken() || p.isExpectedStartArrayToken() ? depth(p.streamReadContext()) : -1;
        Object value;
        try {
            value = super.deserialize(p, ctxt);
        } catch (MismatchedInputException e) {
            if (e == values || e instanceof PropertyBindingException) {
                throw e;
            }
            boolean nullElement = e instanceof InvalidNullException && p.hasToken(JsonToken.VALUE_NULL)
                    && p.streamReadContext().inArray() && depth(p.streamReadContext()) == depth
                    && getDelegatee() instanceof ContainerDeserializerBase<?>;
            if (values.count() == before || nullElement) {
                values.add(p, e); // else made of a value skipped inside: the object made without it
            }
            if (nullElement) {
                readOn(p, ctxt, values);
            } else {
                skip(p, depth);
            }
            value = placeholder(ctxt);
        } catch (ValueInstantiationException e) {
            if (values.count() == before) {
                throw e;
            }
            skip(p, depth); // made of a value skipped: no error of its own
            value = null;
        }
        return value;
    }

    /**
     * Reads the elements after a {@code null} that ended the reading of the array {@code p} stands in, with the array's
     * own element deserializer, so that every wrong one is named, a {@code null} too. Before, what followed a null was
     * not checked: {@code [null, 1]} where strings belong named {@code [0]} only.
     */
    private void readOn(JsonParser p, DeserializationContext ctxt, WrongValues values) {
        ValueDeserializer<Object> element = ((ContainerDeserializerBase<?>) getDelegatee()).getContentDeserializer();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.hasToken(JsonToken.VALUE_NULL)) {
                values.add(p, InvalidNullException.from(ctxt, (PropertyName) null, (JavaType) null));
            } else if (element != null) {
                element.deserialize(p, ctxt);
            } else {
                p.skipChildren();
            }
        }
    }

    /**
     * What a value skipped is read as: its type's empty value ({@code ""}, 0, an empty list) where it has one, since an
     * array refuses a null element; else null.
     */
    private Object placeholder(DeserializationContext ctxt) {
        try {
            return getEmptyValue(ctxt);
        } catch (RuntimeException e) { // a type without an empty value: what holds it is not made then
            return null;
        }
    }

    /** Moves {@code p} to the end of the object or array that began at {@code depth} (-1: a scalar, already there). */
    private static void skip(JsonParser p, int depth) {
        while (depth >= 0 && depth(p.streamReadContext()) >= depth && p.nextToken() != null) {
            // reads on to that object's or array's end
        }
    }

    private static int depth(TokenStreamContext c) {
        int depth = 0;
        for (; c != null; c = c.getParent()) {
            depth++;
        }
        return depth;
    }
}
