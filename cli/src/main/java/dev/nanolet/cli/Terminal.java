package dev.nanolet.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What the CLI writes to stdout and stderr, on its way there: a server's text reaches the terminal in tables, progress
 * lines, errors, log lines and JSON, and a hostile or broken server's may hold control sequences (ESC or U+009B, a
 * terminal's CSI: {@code 2J} clears the screen, OSC 52 writes the clipboard), bidi overrides that turn text around, or line
 * separators. Each {@link #isControl control} character is a space here but a line's end ({@code \n}, and {@code \r\n}
 * where that is the line separator) and a tab: one place for every command, where each of them escaped its own or none.
 */
final class Terminal extends OutputStream {
    private final PrintStream to;
    private final boolean crlf;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] pending = new byte[0];
    private boolean cr;

    private Terminal(PrintStream to, String lineSeparator) {
        this.to = to;
        this.crlf = lineSeparator.equals("\r\n");
    }

    /** A stream that writes to {@code to} (in its charset) what it is given, each control character but a line's end a space. */
    static PrintStream of(PrintStream to) {
        return of(to, System.lineSeparator());
    }

    /** {@link #of(PrintStream)} where {@code lineSeparator} is the line separator ({@code \r\n} on Windows). */
    static PrintStream of(PrintStream to, String lineSeparator) {
        return new PrintStream(new Terminal(to, lineSeparator), true, StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code c} is Unicode's control ({@code Cc}: C0, DEL, C1), a line or paragraph separator, or a bidi control
     * that embeds, overrides or isolates (U+202A–U+202E, U+2066–U+2069: "Trojan Source", text shown in another order than
     * it is). Other format characters are text: the zero-width joiners that emoji sequences and Persian or Indic scripts
     * need, U+200E's and U+200F's marks; a space for them broke a workload's or a user's names.
     */
    static boolean isControl(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            case Character.FORMAT -> switch (Character.getDirectionality(c)) {
                case Character.DIRECTIONALITY_LEFT_TO_RIGHT_EMBEDDING, Character.DIRECTIONALITY_LEFT_TO_RIGHT_OVERRIDE,
                        Character.DIRECTIONALITY_RIGHT_TO_LEFT_EMBEDDING, Character.DIRECTIONALITY_RIGHT_TO_LEFT_OVERRIDE,
                        Character.DIRECTIONALITY_POP_DIRECTIONAL_FORMAT, Character.DIRECTIONALITY_LEFT_TO_RIGHT_ISOLATE,
                        Character.DIRECTIONALITY_RIGHT_TO_LEFT_ISOLATE, Character.DIRECTIONALITY_FIRST_STRONG_ISOLATE,
                        Character.DIRECTIONALITY_POP_DIRECTIONAL_ISOLATE -> true;
                default -> false;
            };
            default -> false;
        };
    }

    /** {@code text} with every {@link #isControl control} character a space, a line's end and a tab too: one line, such as a table's cell. */
    static String oneLine(String text) {
        StringBuilder s = new StringBuilder(text.length());
        text.codePoints().forEach(c -> s.appendCodePoint(isControl(c) ? ' ' : c));
        return s.toString();
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /**
     * Decodes what it can ({@code pending}: the start of a character the next write ends), and writes it made safe. Where
     * {@code \r\n} is the line separator, a {@code \r} that ends the write is held ({@code cr}) as the start of a line's end
     * the next write may end: a text longer than a {@link PrintStream}'s buffer comes in several writes, and a {@code \r\n}
     * across two of them printed a space and a {@code \n}.
     */
    @Override
    public synchronized void write(byte[] b, int off, int len) {
        ByteBuffer in = ByteBuffer.allocate(pending.length + len).put(pending).put(b, off, len).flip();
        CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
        if (cr) {
            chars.put('\r');
        }
        utf8.decode(in, chars, false);
        pending = new byte[in.remaining()];
        in.get(pending);
        chars.flip();
        cr = crlf && chars.length() > 0 && chars.charAt(chars.length() - 1) == '\r';
        to.print(safe(cr ? chars.subSequence(0, chars.length() - 1) : chars));
    }

    private String safe(CharSequence text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i += Character.charCount(Character.codePointAt(text, i))) {
            int c = Character.codePointAt(text, i);
            boolean kept = c == '\n' || c == '\t' || c == '\r' && crlf && i + 1 < text.length() && text.charAt(i + 1) == '\n';
            s.appendCodePoint(kept || !isControl(c) ? c : ' ');
        }
        return s.toString();
    }

    /** Writes on what was written but a {@code \r} held for the next write ({@link #write(byte[], int, int)}). */
    @Override
    public void flush() {
        to.flush();
    }

    /** Writes a {@code \r} still held as what it is alone, a space; {@code to} stays open. */
    @Override
    public synchronized void close() {
        if (cr) {
            cr = false;
            to.print(' ');
        }
        to.flush();
    }
}
