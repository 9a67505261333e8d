package dev.nanolet.platform.web;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's answer to a request it refuses before Spring sees it (a header section larger than
 * {@code server.max-http-request-header-size}, a malformed request line, a path that does not decode, a NUL in a
 * header): RFC 9457 problem+json like every other error of the API, instead of Tomcat's HTML page, with a
 * {@link #detail} that says which of those it was. Answers that
 * Spring has already written are left alone. Public with a no-argument constructor because
 * Tomcat creates it by class name ({@link ProblemErrorPages}).
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"about:blank\",\"title\":\"" + title(status) + "\",\"status\":" + status
                        + ",\"detail\":\"" + detail(status, throwable, response.getMessage()) + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response committed: nothing more to say
        }
    }

    /**
     * What was wrong, in the API's words, from what Tomcat knows: its exception for a request line or header it could
     * not parse, its message for a path that does not decode. Tomcat's own text is never passed on (it quotes the
     * request's bytes); what it does not say (a path that is not UTF-8, a Content-Length that is no number, a second
     * Host, Tomcat's messages in another language) gets the general, true, detail. Another status without a body (an
     * actuator's 404) is no refusal and is said as what it is. No quote or backslash in any of them.
     */
    static String detail(int status, Throwable throwable, String message) {
        if (status == 505) {
            return "the request names an HTTP version the server does not speak: send HTTP/1.1";
        }
        if (status != 400) {
            return "the server answered " + status + " " + title(status) + " and has nothing more to say about it";
        }
        String cause = throwable == null || throwable.getMessage() == null ? "" : throwable.getMessage();
        String said = message == null ? "" : message;
        return KNOWN.stream().filter(known -> cause.startsWith(known.getKey()) || said.startsWith(known.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(REFUSED);
    }

    static final String HEADERS_TOO_LARGE = "the request's headers are larger than the server takes"
            + " (server.max-http-request-header-size, NANOLET_API_MAX_HEADER_BYTES)";
    static final String BAD_TARGET = "the request's path or query holds a character that must be percent-encoded"
            + " (a control character such as NUL, a space, a backslash, a quote, braces)";
    static final String BAD_HEADER = "a header of the request is malformed: its name is not a token, or its value holds"
            + " a control character such as NUL";
    static final String BAD_ESCAPE = "the request's path has a % that does not start a percent-encoding (%XX, two hex digits)";
    static final String REFUSED = "the server refused the request before it reached the API: its request line or headers"
            + " are not HTTP it reads (a path that is not UTF-8 once decoded, a Content-Length that is not a number,"
            + " two Host headers, …)";

    /** The start of what Tomcat says (its exception's message, or the message of its sendError), first match wins. */
    private static final List<Map.Entry<String, String>> KNOWN = List.of(
            Map.entry("Request header is too large", HEADERS_TOO_LARGE),
            Map.entry("Invalid character found in method name",
                    "the request line's method holds a character a method may not (a method is a token, RFC 9110)"),
            Map.entry("Invalid character found in the request target", BAD_TARGET),
            Map.entry("Invalid character found in the HTTP protocol",
                    "the request line is not METHOD, path and HTTP version, one space apart: a space in the path must be %20"),
            Map.entry("The HTTP header line", BAD_HEADER),
            Map.entry("Invalid URI: [The encoded slash character is not allowed]",
                    "the request's path holds an encoded slash (%2F), which no path of the API has"),
            Map.entry("Invalid URI: ", BAD_ESCAPE),
            Map.entry("Invalid URI",
                    "the request's path does not decode to a plain path: it holds a NUL (%00) or climbs above the root (..)"));

    private static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }
}
