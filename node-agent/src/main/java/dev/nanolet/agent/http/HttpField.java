package dev.nanolet.agent.http;

import dev.nanolet.wire.Digits;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * What HTTP allows in a header field (RFC 9110 §5.1, §5.5), checked on a module's CGI response
 * fields before the server sees them: Netty refuses anything else only when it writes the
 * response, past every error handler of the data plane (a 500 with a stack trace, not a 502).
 */
final class HttpField {

    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";
    private static final int QUOTED = 80;

    private HttpField() {}

    /** A {@code token}: one or more letters, digits or {@value #TCHAR_SYMBOLS}. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alnum && TCHAR_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A {@code field-value}: visible ASCII, {@code obs-text} (0x80–0xFF), SP and HTAB; no other control character, no DEL. */
    static boolean isValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    /**
     * The length that {@code values}, a message's {@code Content-Length} fields, declare: exactly one value of
     * decimal digits (RFC 9110 §8.6), at most 18 of them; empty for none, several, or anything else.
     */
    static OptionalLong contentLength(List<String> values) {
        return values.size() == 1 ? Digits.parse(stripOws(values.getFirst()), Digits.MAX_DIGITS) : OptionalLong.empty();
    }

    /**
     * Whether {@code values}, a message's {@code Transfer-Encoding} fields, name {@code chunked} and nothing else: once, without
     * parameters (RFC 9112 §7). That is the one transfer coding the node reads and writes; with any other (say {@code gzip,
     * chunked}) Netty takes the chunks off and leaves the other coding on bytes that would pass as the body.
     */
    static boolean onlyChunked(List<String> values) {
        List<String> codings = values.stream().flatMap(v -> Arrays.stream(v.split(",", -1))).map(HttpField::stripOws)
                .filter(c -> !c.isEmpty()).toList();
        return codings.size() == 1 && codings.getFirst().equalsIgnoreCase("chunked");
    }

    /**
     * What is wrong with an answer's framing, given its {@code Transfer-Encoding} fields and whether it has a
     * {@code Content-Length}, or null: a length beside a coding (RFC 9112 §6.3), or a coding other than {@code chunked}
     * alone ({@link #onlyChunked}). An answer that ends at its header section ({@link #endsAtItsHeader}) has nothing to
     * frame, so its fields are no fault. The forwarder refuses an answer with a fault ({@link Forwarder}) and does not keep
     * its connection ({@link AnswerFraming}).
     */
    static String framingFault(List<String> codings, boolean hasLength, boolean toHead, int status) {
        return codings.isEmpty() || endsAtItsHeader(toHead, status) ? null
                : hasLength ? "a Content-Length beside a Transfer-Encoding"
                : !onlyChunked(codings) ? "a transfer coding other than chunked" : null;
    }

    /**
     * Whether an answer with {@code status}, to a {@code HEAD} request if {@code toHead}, ends at its header section whatever
     * its framing fields say (RFC 9112 §6.3): one to {@code HEAD}, and any 1xx, 204 or 304. Netty's decoder reads it so too.
     */
    static boolean endsAtItsHeader(boolean toHead, int status) {
        return toHead || status / 100 == 1 || status == 204 || status == 304;
    }

    /** {@code s} without leading and trailing SP and HTAB (optional whitespace, {@code OWS}). */
    static String stripOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    /**
     * {@code s} for a message (a problem's detail, an event): its first {@value #QUOTED} characters,
     * control characters and bytes above 0x7E as {@code \xNN}.
     */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().limit(QUOTED).forEach(c -> b.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c)));
        return s.length() > QUOTED ? b.append('…').toString() : b.toString();
    }
}
