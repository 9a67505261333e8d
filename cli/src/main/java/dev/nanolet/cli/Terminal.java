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
    private static final boolean CRLF = System.lineSeparator().equals("\r\n");

    private final PrintStream to;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] pending = new byte[0];

    private Terminal(PrintStream to) {
        this.to = to;
    }

    /** A stream that writes to {@code to} (in its charset) what it is given, each control character but a line's end a space. */
    static PrintStream of(PrintStream to) {
        return new PrintStream(new Terminal(to), true, StandardCharsets.UTF_8);
    }

    /** Whether {@code c} is Unicode's control ({@code Cc}: C0, DEL, C1), format ({@code Cf}: bidi marks) or a line or paragraph separator. */
    static boolean isControl(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
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

    /** Decodes what it can ({@code pending}: the start of a character the next write ends), and writes it made safe. */
    @Override
    public synchronized void write(byte[] b, int off, int len) {
        ByteBuffer in = ByteBuffer.allocate(pending.length + len).put(pending).put(b, off, len).flip();
        CharBuffer chars = CharBuffer.allocate(in.remaining());
        utf8.decode(in, chars, false);
        pending = new byte[in.remaining()];
        in.get(pending);
        to.print(safe(chars.flip()));
    }

    private static String safe(CharSequence text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i += Character.charCount(Character.codePointAt(text, i))) {
            int c = Character.codePointAt(text, i);
            boolean kept = c == '\n' || c == '\t' || c == '\r' && CRLF && i + 1 < text.length() && text.charAt(i + 1) == '\n';
            s.appendCodePoint(kept || !isControl(c) ? c : ' ');
        }
        return s.toString();
    }

    @Override
    public void flush() {
        to.flush();
    }
}
