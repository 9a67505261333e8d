package dev.nanolet.platform.logs;

import dev.nanolet.platform.node.NodeAddresses;
import dev.nanolet.wire.LogLine;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one replica's log stream from its node:
 * {@code GET {address}/_nanolet/v1/replicas/{id}/logs?tail=N&follow=…} with that node's own logs
 * token (never a node credential or the admin token), an event stream whose {@code data:} is a
 * {@link LogLine}. Bounded: {@value #CONNECT_SECONDS} s to connect, {@value #HEADERS_SECONDS} s to
 * the response headers, lines of at most {@value #MAX_LINE} bytes, and at most {@value #MAX_TAIL_BYTES}
 * bytes for a tail (follow=false), whose time {@link LogMerge#tail} bounds (closing a stream ends its read); redirects are not followed, and an address that resolves to a
 * link-local or metadata address is not called. The lines are read with a plain {@code JsonMapper} of its own,
 * not the application's: a guest may write any byte, a NUL included, and a line is passed on, never stored, so
 * the input rules for what platform-api stores ({@code web.JsonInputRules}) must not end the stream on it.
 */
@Component
class NodeLogClient {
    static final int CONNECT_SECONDS = 5;
    static final int HEADERS_SECONDS = 10;
    static final int MAX_LINE = 64 * 1024;
    static final long MAX_TAIL_BYTES = 16L * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(CONNECT_SECONDS))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** An open upstream stream; closing it drops the connection. */
    interface Upstream extends AutoCloseable {
        /** Passes each line to {@code sink} until the node ends the stream or passes a bound. */
        void forEach(Consumer<LogLine> sink) throws IOException;

        @Override
        void close();
    }

    Upstream open(LogMerge.Source source, int tail, boolean follow) throws IOException, InterruptedException {
        if (source.logsToken() == null) {
            throw new IOException("node at " + source.address() + " has no logs token yet (registered before credentials)");
        }
        URI uri = URI.create(source.address() + "/_nanolet/v1/replicas/" + source.replica() + "/logs?tail=" + tail
                + "&follow=" + follow);
        for (InetAddress resolved : InetAddress.getAllByName(uri.getHost())) {
            Optional<String> refused = NodeAddresses.refusedTarget(resolved);
            if (refused.isPresent()) {
                throw new IOException(uri.getHost() + " resolves to " + resolved.getHostAddress() + ", which " + refused.get());
            }
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(HEADERS_SECONDS))
                .header("Authorization", "Bearer " + source.logsToken())
                .header("Accept", "text/event-stream")
                .GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = new BufferedInputStream(response.body());
        if (response.statusCode() != 200) {
            body.close();
            throw new IOException(uri + " answered " + response.statusCode());
        }
        long maxBytes = follow ? Long.MAX_VALUE : MAX_TAIL_BYTES;
        return new Upstream() {
            @Override
            public void forEach(Consumer<LogLine> sink) throws IOException {
                StringBuilder data = new StringBuilder();
                long total = 0;
                for (String line; (line = readLine(body)) != null; ) {
                    total += line.length() + 1;
                    if (total > maxBytes) {
                        throw new IOException("the node sent more than " + maxBytes + " bytes for a tail");
                    }
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            sink.accept(json.readValue(data.toString(), LogLine.class));
                            data.setLength(0);
                        }
                    } else if (line.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                        if (data.length() > MAX_LINE) {
                            throw new IOException("the node sent an event larger than " + MAX_LINE + " bytes");
                        }
                    }
                }
                if (!data.isEmpty()) {
                    sink.accept(json.readValue(data.toString(), LogLine.class));
                }
            }

            @Override
            public void close() {
                try {
                    body.close();
                } catch (IOException e) {
                    // the connection is dropped either way
                }
            }
        };
    }

    /** One line without its end ({@code \n}, {@code \r\n}), or null at the end; longer than {@link #MAX_LINE} fails. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() >= MAX_LINE) {
                throw new IOException("the node sent a line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
