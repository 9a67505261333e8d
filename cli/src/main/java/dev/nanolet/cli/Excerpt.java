package dev.nanolet.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's text as one short line for stderr: a proxy's error page or a login page is kilobytes of HTML, and a hostile
 * one may hold terminal control sequences. A page says its {@code <title>}; anything else its first {@link #MAX}
 * characters, each run of whitespace or control characters one space.
 */
final class Excerpt {
    static final int MAX = 120;
    private static final Pattern TITLE = Pattern.compile("<title", Pattern.CASE_INSENSITIVE | Pattern.LITERAL);
    private static final Pattern TITLE_END = Pattern.compile("</title", Pattern.CASE_INSENSITIVE | Pattern.LITERAL);
    private static final Pattern WHITE = Pattern.compile("\\s+");
    private static final Pattern HTML = Pattern.compile("^\\s*<(!doctype|html|head|body|\\?xml)", Pattern.CASE_INSENSITIVE);

    /** The most of a problem's text {@link #said}: well above any platform-api's own (a replica's message is up to 4096). */
    static final int MAX_SAID = 16_384;

    private Excerpt() {}

    /** {@code body} said in one bounded line: {@code a web page titled '…'} for HTML, else {@link #line}. */
    static String of(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        String title = title(body.length() > 65_536 ? body.substring(0, 65_536) : body);
        if (title != null && !title.isBlank()) {
            return "a web page titled '" + line(title) + "'";
        }
        return HTML.matcher(body).find() ? "a web page" : line(body);
    }

    /**
     * The text between a page's first {@code <title…>} and the {@code </title} after it, or null: in one pass, where a
     * regular expression tried each {@code <title} to the page's end (a 64 KB page of them took seconds). The first one
     * decides: a later one has no {@code >} or {@code </title} after it that the first has not.
     */
    static String title(CharSequence page) {
        Matcher start = TITLE.matcher(page);
        if (!start.find()) {
            return null;
        }
        int text = indexOf(page, '>', start.end()) + 1;
        Matcher end = TITLE_END.matcher(page);
        return text > 0 && end.find(text) ? page.subSequence(text, end.start()).toString() : null;
    }

    private static int indexOf(CharSequence text, char c, int from) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A text a platform-api problem holds (its {@code detail}, a field's or a warning's message) as it is, on its lines, at
     * most {@link #MAX_SAID} characters. Its control characters are the {@link Terminal}'s to make safe, as every text the
     * CLI prints: a hostile server's detail reached the terminal whole, an escape sequence that clears the screen or writes
     * the clipboard (OSC 52) too.
     */
    static String said(String text) {
        return cut(text, MAX_SAID);
    }

    /**
     * {@code text} on one line, at most {@link #MAX} characters, cut with {@code …}: each run of white space and
     * {@link Terminal#isControl control} characters one space.
     */
    static String line(String text) {
        String one = WHITE.matcher(Terminal.oneLine(text)).replaceAll(" ").strip();
        return cut(one, MAX);
    }

    /** {@code text}, or its first {@code max} characters and {@code …}: fewer by one where the cut would split a surrogate pair (a {@code ?}). */
    private static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "…";
    }
}
