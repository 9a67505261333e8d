package dev.nanolet.agent.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads one HTTP/1.1 response off a kept-alive connection, framed by Content-Length or chunking. */
final class KeepAlive {

    private KeepAlive() {}

    /** The response's status line and header fields; its body is read and dropped. */
    static String read(InputStream in) throws IOException {
        String head = line(in);
        long length = -1;
        boolean chunked = false;
        for (String field = line(in); !field.isEmpty(); field = line(in)) {
            head += "\n" + field;
            String lower = field.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0; size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                skip(in, size);
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailer fields
            }
        } else if (length > 0) {
            skip(in, length);
        } else if (length < 0) {
            throw new IOException("a kept-alive response without Content-Length or chunking: " + head);
        }
        return head;
    }

    private static void skip(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
