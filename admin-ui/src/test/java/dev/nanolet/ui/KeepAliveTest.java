package dev.nanolet.ui;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What a browser does on one keep-alive connection: a request arrives while the previous one's handling
 * has not ended yet (a request without a session ends on another thread: the session id is made off the
 * event loop). Reactor Netty buffers it, and up to 1.3.7 stopped reading the connection after answering a
 * buffered request that ended at once: the next request on it was never read, and the page's stylesheet
 * never loaded (reactor-netty issue 4361: the CI's AdminUiBrowserTest hang).
 */
class KeepAliveTest extends UiTest {
    @Test
    void theServerKeepsReadingAConnectionAfterAnsweringABufferedRequest() throws IOException {
        String session = sessionCookie();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            // in one write, so the second arrives before the first's handling has ended; the first has no
            // session (it ends on another thread), the second has one (it ends at once, while buffered)
            socket.getOutputStream().write((get("/secrets?namespace=shop", null) + get("/sign-in", session)).getBytes(US_ASCII));
            assertThat(statusLine(socket.getInputStream())).contains(" 302 ");
            assertThat(statusLine(socket.getInputStream())).contains(" 200 ");

            socket.getOutputStream().write(get("/css/app.css", session).getBytes(US_ASCII));
            try {
                assertThat(statusLine(socket.getInputStream())).contains(" 200 ");
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the third request on the connection got no answer in 5 s", e);
            }
        }
    }

    /** A session the server knows: the sign-in page saves one (its CSRF token). */
    private String sessionCookie() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(get("/sign-in", null).getBytes(US_ASCII));
            String head = readResponse(socket.getInputStream());
            return head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("set-cookie: " + UiSession.COOKIE.toLowerCase(Locale.ROOT) + "="))
                    .map(l -> l.substring("set-cookie: ".length()).split(";")[0]).findFirst()
                    .orElseThrow(() -> new AssertionError("no session cookie in\n" + head));
        }
    }

    private static String get(String path, String cookie) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n";
    }

    private static String statusLine(InputStream in) throws IOException {
        return readResponse(in).lines().findFirst().orElse("");
    }

    /** Reads one response (its body by Content-Length or chunks) and answers its head. */
    private static String readResponse(InputStream in) throws IOException {
        String head = readUntil(in, "\r\n\r\n");
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("transfer-encoding: chunked")) {
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                in.readNBytes(size + 2);
            }
            readUntil(in, "\r\n");
        } else {
            int at = lower.indexOf("content-length: ");
            in.readNBytes(at < 0 ? 0 : Integer.parseInt(lower.substring(at + 16, lower.indexOf("\r\n", at)).strip()));
        }
        return head;
    }

    private static int chunkSize(InputStream in) throws IOException {
        return Integer.parseInt(readUntil(in, "\r\n").strip().split(";")[0], 16);
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(US_ASCII).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the server closed the connection after:\n" + bytes.toString(US_ASCII));
            }
            bytes.write(b);
        }
        return bytes.toString(US_ASCII);
    }
}
