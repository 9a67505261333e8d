package dev.nanolet.platform.logs;

import dev.nanolet.platform.web.AuthProperties;
import dev.nanolet.wire.LogLine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one replica's log stream from its node:
 * {@code GET {address}/_nanolet/v1/replicas/{id}/logs?tail=N&follow=…} with the node token,
 * an event stream whose {@code data:} is a {@link LogLine}.
 */
@Component
class NodeLogClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json;
    private final String nodeToken;

    NodeLogClient(JsonMapper json, AuthProperties auth) {
        this.json = json;
        this.nodeToken = auth.nodeToken();
    }

    /** An open upstream stream; closing it drops the connection. */
    interface Upstream extends AutoCloseable {
        /** Passes each line to {@code sink} until the node ends the stream. */
        void forEach(Consumer<LogLine> sink);

        @Override
        void close();
    }

    Upstream open(String address, UUID replica, int tail, boolean follow) throws IOException, InterruptedException {
        URI uri = URI.create(address.replaceAll("/+$", "") + "/_nanolet/v1/replicas/" + replica + "/logs?tail=" + tail
                + "&follow=" + follow);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + nodeToken)
                .header("Accept", "text/event-stream")
                .GET().build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException(uri + " answered " + response.statusCode());
        }
        Stream<String> lines = response.body();
        return new Upstream() {
            @Override
            public void forEach(Consumer<LogLine> sink) {
                StringBuilder data = new StringBuilder();
                lines.forEachOrdered(line -> {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            sink.accept(json.readValue(data.toString(), LogLine.class));
                            data.setLength(0);
                        }
                    } else if (line.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                    }
                });
                if (!data.isEmpty()) {
                    sink.accept(json.readValue(data.toString(), LogLine.class));
                }
            }

            @Override
            public void close() {
                lines.close();
            }
        };
    }
}
