package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What reaches the terminal through a {@link Terminal}: every control character but a line's end and a tab a space, text kept. */
class TerminalTest {
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final PrintStream terminal = Terminal.of(new PrintStream(written, true, StandardCharsets.UTF_8));

    @Test
    void controlsAreSpacesAndTextIsKept() {
        terminal.print("a\u001b[2J\u009b2J\u007f\u202eb\u2066c\u2028d\re\u0085f\tg\n");
        terminal.println("café \uD83D\uDE00 名前 \uDB40\uDC01x \uD83D\uDC69\u200D\uD83D\uDCBB \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645");

        assertThat(written.toString(StandardCharsets.UTF_8)).as("a language tag (U+E0001), the joiners of an emoji sequence and of Persian are text")
                .isEqualTo("a [2J 2J  b c d e f\tg\ncafé \uD83D\uDE00 名前 \uDB40\uDC01x \uD83D\uDC69\u200D\uD83D\uDCBB \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645\n");
    }

    /** A character whose bytes come in two writes is decoded whole: U+009B as 0xC2 then 0x9B is still a control. */
    @Test
    void aCharacterSplitAcrossWritesIsReadWhole() {
        byte[] csi = "\u009b".getBytes(StandardCharsets.UTF_8);
        byte[] emoji = "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        terminal.write(csi, 0, 1);
        terminal.write(csi, 1, 1);
        terminal.write(emoji, 0, 3);
        terminal.write(emoji, 3, 1);
        terminal.flush();

        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo(" \uD83D\uDE00");
    }

    /**
     * Where {@code \r\n} ends a line (Windows), a text longer than a PrintStream's buffer (8192 bytes) reaches the Terminal in several
     * writes; a {@code \r\n} across two of them is a line's end all the same, and a {@code \r} alone a space, the last one too.
     */
    @Test
    void aCrLfSplitAcrossWritesIsOneLinesEndWhereItIsTheSeparator() {
        PrintStream windows = Terminal.of(new PrintStream(written, true, StandardCharsets.UTF_8), "\r\n");
        windows.write("a\r".getBytes(StandardCharsets.UTF_8), 0, 2);
        windows.write("\nb\r".getBytes(StandardCharsets.UTF_8), 0, 3);
        windows.write("c\r".getBytes(StandardCharsets.UTF_8), 0, 2);
        windows.print("x".repeat(8191) + "\r\nd\r");
        windows.close();

        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo("a\r\nb c " + "x".repeat(8191) + "\r\nd ");
    }

    @Test
    void aCrAloneIsASpaceWhereTheSeparatorIsNewline() {
        PrintStream unix = Terminal.of(new PrintStream(written, true, StandardCharsets.UTF_8), "\n");
        unix.write("a\r".getBytes(StandardCharsets.UTF_8), 0, 2);
        unix.write("\nb".getBytes(StandardCharsets.UTF_8), 0, 2);

        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo("a \nb");
    }

    @Test
    void oneLineMakesALinesEndASpaceToo() {
        assertThat(Terminal.oneLine("a\nb\tc\r\nd\u001b")).isEqualTo("a b c  d ");
    }
}
