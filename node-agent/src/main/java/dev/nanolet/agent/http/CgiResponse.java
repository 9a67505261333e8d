package dev.nanolet.agent.http;

import dev.nanolet.wire.Digits;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A parsed CGI response (RFC 3875 §6): header fields (names in any case) up to a blank line, then
 * the body, which stays in the guest's output buffer from {@code bodyOffset}.
 *
 * @param status the {@code Status:} field (its reason phrase is not kept; only a final status,
 *     200–599: a module's {@code 101} would hand the client's connection to it), else 302 with a
 *     {@code Location}, else 200
 * @param headers every other field, in order; each name an HTTP token and each value an HTTP
 *     field value ({@link HttpField}), so that the server can write them: a field it would refuse
 *     makes the output malformed here, where a malformed response answers 502, not later in Netty
 * @param localRedirect the path (and query) of a local redirect (§6.2.2: nothing but a
 *     {@code Location} that starts with one {@code /}, no body), which the server serves itself
 *     instead of answering; else null. It is parsed here, so that a target that is no URI
 *     ({@code /a b}, {@code /%zz}) is a malformed response like any other, not a failure of the node
 */
record CgiResponse(int status, List<Map.Entry<String, String>> headers, int bodyOffset, URI localRedirect) {

    static final int MAX_HEADER_BYTES = 64 * 1024;

    /** The guest's output is not a CGI response. */
    static final class MalformedException extends RuntimeException {
        MalformedException(String message) {
            super(message);
        }
    }

    /**
     * The body length the module declares in {@code Content-Length} ({@link HttpField#contentLength}). The node
     * frames a body by its own count, so this only counts where there is no body to count: a module's answer
     * to {@code HEAD}, which RFC 3875 §4.3.3 says carries none, reports the length a {@code GET}'s would have.
     */
    OptionalLong contentLength() {
        return HttpField.contentLength(headers.stream().filter(h -> h.getKey().equalsIgnoreCase("Content-Length"))
                .map(Map.Entry::getValue).toList());
    }

    /**
     * Parses a guest's output held in chunks: from its first chunk when the header block ends
     * there (a small answer, or any answer whose header fields fit in the first chunk), else from
     * a copy of its first {@value #MAX_HEADER_BYTES} bytes at most; {@link #bodyOffset()} counts
     * from the start of the output either way.
     */
    static CgiResponse parse(GuestOutput out) {
        List<byte[]> chunks = out.chunks();
        if (chunks.size() <= 1 || endsHeader(chunks.getFirst(), out.used(0))) {
            return parse(chunks.isEmpty() ? new byte[0] : chunks.getFirst(), out.length());
        }
        return parse(out.head(MAX_HEADER_BYTES), out.length());
    }

    /** Whether the first {@code n} bytes of {@code b} hold a blank line (the end of a header block). */
    private static boolean endsHeader(byte[] b, int n) {
        if (n > 0 && (b[0] == '\n' || n > 1 && b[0] == '\r' && b[1] == '\n')) {
            return true;
        }
        for (int i = 0; i < n - 1; i++) {
            if (b[i] == '\n' && (b[i + 1] == '\n' || i + 2 < n && b[i + 1] == '\r' && b[i + 2] == '\n')) {
                return true;
            }
        }
        return false;
    }

    /** Parses the first {@code length} bytes of {@code out} (the header block must lie in the array). */
    static CgiResponse parse(byte[] out, int length) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int status = -1;
        boolean location = false;
        int pos = 0;
        while (true) {
            int nl = indexOf(out, pos, Math.min(Math.min(length, MAX_HEADER_BYTES), out.length), (byte) '\n');
            if (nl < 0) {
                throw new MalformedException(length == 0 ? "no output" : "no blank line after the header fields");
            }
            int end = nl > pos && out[nl - 1] == '\r' ? nl - 1 : nl;
            String line = new String(out, pos, end - pos, StandardCharsets.ISO_8859_1);
            pos = nl + 1;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedException("not a header field: " + HttpField.printable(line));
            }
            String name = HttpField.stripOws(line.substring(0, colon));
            String value = HttpField.stripOws(line.substring(colon + 1));
            if (!HttpField.isToken(name)) {
                throw new MalformedException("not a header field name: " + HttpField.printable(name));
            }
            if (!HttpField.isValue(value)) {
                throw new MalformedException("the value of " + name + " has a control character: " + HttpField.printable(value));
            }
            if (name.equalsIgnoreCase("Status")) {
                status = statusCode(value);
            } else {
                location |= name.equalsIgnoreCase("Location");
                headers.add(Map.entry(name, value));
            }
        }
        if (status < 0 && headers.isEmpty()) {
            throw new MalformedException("no Status, Content-Type or Location field");
        }
        URI local = status < 0 && headers.size() == 1 && location && pos == length ? localRedirect(headers.getFirst().getValue()) : null;
        return new CgiResponse(status >= 0 ? status : location ? 302 : 200, headers, pos, local);
    }

    /** The target of a lone {@code Location}: a URI if it is a path (a local redirect), null if it goes to the client. */
    private static URI localRedirect(String location) {
        if (!location.startsWith("/") || location.startsWith("//")) {
            return null;
        }
        try {
            if (location.chars().allMatch(c -> c < 0x7f)) { // java.net.URI takes other Unicode characters, RFC 3986 does not
                return new URI(location);
            }
        } catch (URISyntaxException e) {
            // falls through to the error below
        }
        throw new MalformedException("the local redirect " + HttpField.printable(location) + " is not a URI path");
    }

    private static int statusCode(String value) {
        String code = value.split("[ \\t]", 2)[0];
        long s = code.length() == 3 ? Digits.parse(code, 3).orElse(-1) : -1; // RFC 3875 §6.3.3: 3digit, no sign
        if (s >= 200 && s <= 599) {
            return (int) s;
        }
        if (s >= 100 && s < 200) {
            throw new MalformedException("Status " + s + " is not a final status (200-599); informational answers are the server's, not a module's");
        }
        throw new MalformedException("bad Status: " + value);
    }

    private static int indexOf(byte[] b, int from, int to, byte x) {
        for (int i = from; i < to; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
