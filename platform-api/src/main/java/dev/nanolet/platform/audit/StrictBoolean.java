package dev.nanolet.platform.audit;

import java.beans.PropertyEditorSupport;

/**
 * A query parameter that is {@code true} or {@code false}, nothing else; empty is absent, as an empty number is
 * ({@code QueryNumbers}). Anything else is refused, and answered as a parameter of the wrong type: 400 naming it.
 */
final class StrictBoolean extends PropertyEditorSupport {
    @Override
    public void setAsText(String text) {
        setValue(switch (text) {
            case "" -> null;
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("must be true or false");
        });
    }
}
