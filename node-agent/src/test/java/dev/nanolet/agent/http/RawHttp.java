package dev.nanolet.agent.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
