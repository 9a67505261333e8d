package dev.nanolet.platform.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * In a strict body ({@link DeserializationFeature#FAIL_ON_UNKNOWN_PROPERTIES}), adds each unknown field to the body's
 * {@link WrongValues}, skips its value and reads on, so that every unknown field is named, as every value of the wrong
 * type is: Jackson stopped at the first, so a client that misspelt three keys learnt of one per request. A tolerant
 * body's unknown fields are ignored as before.
 */
final class UnknownFieldCollector extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, ValueDeserializer<?> deserializer,
            Object beanOrClass, String propertyName) {
        WrongValues values = WrongValues.of(ctxt);
        if (values == null || !ctxt.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)) {
            return false;
        }
        UnrecognizedPropertyException unknown = UnrecognizedPropertyException.from(p, beanOrClass, propertyName,
                deserializer == null ? null : deserializer.getKnownPropertyNames());
        p.skipChildren();
        values.addUnknown(propertyName, unknown);
        return true;
    }
}
