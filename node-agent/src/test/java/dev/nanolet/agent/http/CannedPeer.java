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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node that answers each request ({@code "GET /path"}) with the bytes set for it, as they are (a
 * {@code Content-Length} that is not the body's too), then hangs up: at once, or once a latch opens, or
 * never (it reads the next request on the connection). It keeps the bytes of the last request for each,
 * read by the framing it declares.
 *
 * <p>While it waits for a latch it reads nothing more on that connection, yet to the node the answer was whole and the
 * connection kept (nothing said it would close), so the node's pool may send the next forwarded request there: that request
 * waits, unread, until the latch opens or 20 s pass: then the peer hangs up (502), or sends its bytes {@code later}, which
 * the node reads as the start of that request's answer. The pool picks among its idle connections to this peer, so a test
 * that forwards another request while a latch is shut hangs only sometimes: a keep-alive loop over relayed 304s hung so and
 * looked like a node that never answered (a 304 held by a shut latch, then a request on the same client connection: 20 s,
 * then 502, every time when that held connection is the pool's only one to this peer). Open the latch, or wait for the
 * node to end that connection ({@link #endedByTheNode}), before the next request, or use {@link #answerKeepingOpen}; a
 * request left unread so is named on stderr.
 */
final class CannedPeer implements AutoCloseable {

    /**
     * {@code hangUp} null: the connection stays open for the next request. {@code later}, if any, follows the answer on the
     * connection once {@code hangUp} opens, and the connection stays open.
     */
    private record Answer(byte[] bytes, CountDownLatch hangUp, byte[] later) {}

    private final ServerSocket socket;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, String> received = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger endedByTheNode = new AtomicInteger();

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
        answers.put(request, new Answer(response.getBytes(StandardCharsets.ISO_8859_1), hangUp, null));
    }

    /** Answers {@code request} with {@code response}, sends {@code later} on the connection once {@code sendLater} opens, and keeps it open. */
    void answerThenLater(String request, String response, String later, CountDownLatch sendLater) {
        answers.put(request, new Answer(response.getBytes(StandardCharsets.ISO_8859_1), sendLater,
                later.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Connections the node ended before a request: the peer read their end where a request would start. */
    int endedByTheNode() {
        return endedByTheNode.get();
    }

    /** Answers {@code request} with {@code response} and reads the next request on the connection. */
    void answerKeepingOpen(String request, String response) {
        answer(request, response, null);
    }

    /** Connections taken so far. */
    int connections() {
        return connections.get();
    }

    /** The bytes of the last {@code request} (method, space, path) received, header section and body, if one came. */
    String received(String request) {
        return received.get(request);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> answer(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void answer(Socket s) {
        try (s) {
            for (Answer a = answerOne(s); a != null; a = answerOne(s)) {
                if (a.hangUp() != null) {
                    a.hangUp().await(20, TimeUnit.SECONDS);
                    if (s.getInputStream().available() > 0) {
                        System.err.println("CannedPeer: a request came on a connection held for a latch and was never answered: "
                                + "the node's pool sent it there (see the class comment)");
                    }
                    if (a.later() == null) {
                        return;
                    }
                    s.getOutputStream().write(a.later());
                    s.getOutputStream().flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the node hung up first: nothing left to answer
        }
    }

    /** Reads one request off {@code s} and answers it; null if none came or none is set for it. */
    private Answer answerOne(Socket s) throws IOException {
        String head = readUntil(s.getInputStream(), "\r\n\r\n");
        String[] line = head.split(" ", 3);
        if (line.length < 3) {
            if (head.isEmpty()) {
                endedByTheNode.incrementAndGet();
            }
            return null;
        }
        received.put(line[0] + " " + line[1], head + body(s.getInputStream(), head.toLowerCase(Locale.ROOT)));
        Answer a = answers.get(line[0] + " " + line[1]);
        if (a != null) {
            s.getOutputStream().write(a.bytes());
            s.getOutputStream().flush();
        }
        return a;
    }

    /** The body after {@code head} (lower case), read whole so that closing sends no RST; a chunked one by a naive match of its end. */
    private static String body(InputStream in, String head) throws IOException {
        if (head.contains("\ntransfer-encoding: chunked")) {
            return readUntil(in, "0\r\n\r\n");
        }
        Matcher length = Pattern.compile("\ncontent-length: *(\\d+)").matcher(head);
        return length.find() ? new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.ISO_8859_1) : "";
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
