package dev.nanolet.agent.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A node that answers each request ({@code "GET /path"}) with the bytes set for it, as they are (a
 * {@code Content-Length} that is not the body's too), then hangs up: at once, or once a latch opens.
 */
final class CannedPeer implements AutoCloseable {

    private record Answer(byte[] bytes, CountDownLatch hangUp) {}

    private final ServerSocket socket;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    CannedPeer() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Answers {@code request} (method, space, path) with {@code response} and hangs up. */
    void answer(String request, String response) {
        answer(request, response, new CountDownLatch(0));
    }

    /** Answers {@code request} with {@code response} and hangs up once {@code hangUp} opens. */
    void answer(String request, String response, CountDownLatch hangUp) {
        answers.put(request, new Answer(response.getBytes(StandardCharsets.ISO_8859_1), hangUp));
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread.ofVirtual().start(() -> answer(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void answer(Socket s) {
        try (s) {
            String head = readUntil(s.getInputStream(), "\r\n\r\n");
            if (head.toLowerCase(Locale.ROOT).contains("\ntransfer-encoding: chunked")) {
                readUntil(s.getInputStream(), "0\r\n\r\n"); // the empty body a forwarded GET carries: read, so closing sends no RST
            }
            String[] line = head.split(" ", 3);
            Answer a = answers.get(line[0] + " " + line[1]);
            if (a != null) {
                s.getOutputStream().write(a.bytes());
                s.getOutputStream().flush();
                a.hangUp().await(20, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            // the node hung up first: nothing left to answer
        }
    }

    /** What {@code in} holds up to {@code end}, or to its end (a naive match, enough for the two ends read here). */
    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        int matched = 0;
        for (int c; matched < end.length() && (c = in.read()) >= 0; ) {
            read.write(c);
            matched = c == end.charAt(matched) ? matched + 1 : c == end.charAt(0) ? 1 : 0;
        }
        return read.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
