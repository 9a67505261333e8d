package dev.nanolet.ui;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/** A deployment page's log stream as a browser holds it open: the events it received and whether it ended; closing it disconnects. */
record OpenLogStream(List<String> lines, AtomicBoolean ended, Disposable connection) implements AutoCloseable {

    /** Opens {@code page}'s log stream on the dashboard at {@code baseUrl}, signed in as {@code session}. */
    static OpenLogStream open(String baseUrl, UiSession session, String page) {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        Disposable connection = WebClient.create(baseUrl).get().uri(page + "/logs/stream").cookies(session::cookie)
                .accept(MediaType.TEXT_EVENT_STREAM).retrieve().bodyToFlux(String.class).doFinally(signal -> ended.set(true))
                .subscribe(lines::add, e -> {});
        return new OpenLogStream(lines, ended, connection);
    }

    @Override
    public void close() {
        connection.dispose();
    }
}
