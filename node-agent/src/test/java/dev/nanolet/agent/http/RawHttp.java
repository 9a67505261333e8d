package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A client that sends a request's bytes as they are (no client library adds or fixes a field) and reads the answer raw. */
final class RawHttp {

    /** An answer as read: status, header fields by lower-case name, body (de-chunked). */
    record Raw(int status, Map<String, String> headers, byte[] body) {}

    private RawHttp() {}

    /** Sends {@code request} as it is (no client library adds a field) and reads the answer to the connection's end. */
    static Raw exchange(int port, String request) {
        try (Socket s = new Socket("localhost", port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            Raw head = header(in);
            return new Raw(head.status(), head.headers(), body(in, head.headers()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body that follows a header section with {@code headers} on {@code in}: de-chunked, else to the connection's end. */
    static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equals(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else {
            body.write(in.readAllBytes());
        }
        return body.toByteArray();
    }

    /** An answer's status line and header section, read from {@code in}; its body is left to read. */
    static Raw header(InputStream in) throws IOException {
        int status = Integer.parseInt(line(in).split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String field = line(in); !field.isEmpty(); field = line(in)) {
            int colon = field.indexOf(':');
            headers.put(field.substring(0, colon).toLowerCase(Locale.ROOT), field.substring(colon + 1).strip());
        }
        return new Raw(status, headers, new byte[0]);
    }

    /**
     * The answers to {@code requests} sent at once on one connection to the node on {@code port}, each read with its body, and
     * checks that a request sent behind them is answered after them: the connection went on. That request does not ask for
     * the connection's close: Reactor Netty takes a pipelined {@code Connection: close} as soon as it reads it, and closes the
     * connection after the answer under way, dropping the requests queued behind it, when that answer is not written before
     * the rest is read (a module's is written later, from the guest's thread).
     */
    static List<Raw> pipelined(int port, List<String> requests) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            String last = "GET /_nanolet/v1/nothing HTTP/1.1\r\nHost: n\r\n\r\n";
            s.getOutputStream().write((String.join("", requests) + last).getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            List<Raw> answers = new ArrayList<>();
            for (String request : requests) {
                answers.add(framed(in, request.startsWith("HEAD ")));
            }
            Raw after = framed(in, false);
            assertThat(after.status()).as("the request behind them").isEqualTo(404);
            assertThat(new String(after.body(), StandardCharsets.UTF_8)).contains("the node has no endpoint /_nanolet/v1/nothing");
            return answers;
        }
    }

    /** The next answer on {@code in}, its body read by its {@code Content-Length} (none to {@code HEAD}). */
    private static Raw framed(InputStream in, boolean toHead) throws IOException {
        Raw head = header(in);
        String length = toHead ? "0" : head.headers().getOrDefault("content-length", "0");
        return new Raw(head.status(), head.headers(), in.readNBytes(Integer.parseInt(length)));
    }

    /** Checks that {@code answer} (to the request {@code name} says) is the node's problem+json of {@code status}, not a module's. */
    static void assertProblem(Raw answer, String name, int status, String detail) {
        assertThat(answer.status()).as(name).isEqualTo(status);
        assertThat(answer.headers()).as(name).containsEntry("content-type", "application/problem+json");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).as(name).contains("\"status\":" + status, detail)
                .doesNotContain("SCRIPT_NAME");
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
