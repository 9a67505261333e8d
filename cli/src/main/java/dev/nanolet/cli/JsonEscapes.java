package dev.nanolet.cli;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;

/**
 * {@code -o json}'s escapes: every {@link Terminal#isControl control} character as a JSON escape (&#92;u and four hex digits), DEL, the C1 controls, bidi
 * marks and line separators too, which JSON allows raw and Jackson wrote so. The {@link Terminal} would make each a space;
 * escaped, the JSON a script reads holds the server's value exactly, and the terminal nothing to act on.
 */
final class JsonEscapes extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();

    JsonEscapes() {
        ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int c) {
        return Terminal.isControl(c) ? new SerializedString(String.format("\\u%04x", c)) : null;
    }
}
