package dev.nanolet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads a server-sent event stream on a virtual thread; tests take events in order. */
public final class SseClient implements AutoCloseable {
    /** One event; {@code name} is {@code message} when the server sent none. */
    public record Event(String name, String id, String data) {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Stream<String> lines;
    private final int status;
    private final java.net.http.HttpHeaders headers;
    private final java.util.concurrent.atomic.AtomicInteger comments = new java.util.concurrent.atomic.AtomicInteger();

    private SseClient(HttpResponse<Stream<String>> response) {
        this.status = response.statusCode();
        this.headers = response.headers();
        this.lines = response.body();
        Thread.ofVirtual().start(this::read);
    }

    public static SseClient open(String url, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many comment lines (heartbeats) arrived. */
    public int comments() {
        return comments.get();
    }

    public int status() {
        return status;
    }

    /** The answer's header {@code name}, null without one. */
    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The next event, failing the test when none comes within 10 s. */
    public Event next() {
        try {
            Event e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The next event of an assignment watch other than {@code routes}: a {@code routes} signal may come between any two
     * changes (whenever any instance changed something the route table shows), so a test of the changes passes over it.
     */
    public Event nextChange() {
        Event e = next();
        while (e.name().equals("routes")) {
            e = next();
        }
        return e;
    }

    /** The next event if one comes within {@code wait}, else null. */
    public Event poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void read() {
        String[] current = {null, null};
        StringBuilder data = new StringBuilder();
        try {
            lines.forEachOrdered(line -> {
                if (line.isEmpty()) {
                    if (!data.isEmpty() || current[0] != null) {
                        events.add(new Event(current[0] == null ? "message" : current[0], current[1], data.toString()));
                    }
                    current[0] = null;
                    current[1] = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("event:")) {
                    current[0] = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    current[1] = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                }
            });
            events.add(new Event("end", null, ""));
        } catch (UncheckedIOException | IllegalStateException e) {
            events.add(new Event("end", null, e.toString()));
        }
    }

    @Override
    public void close() {
        lines.close();
    }
}
