package dev.nanolet.platform.logs;

import dev.nanolet.platform.web.StreamEnd;
import dev.nanolet.wire.LogLine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Merges the log streams of several replicas into one SSE response. Without follow, every
 * node's tail is read, ordered by time and the last {@code tail} lines are sent, then the stream
 * ends. With follow, each node's stream is forwarded as lines arrive (one virtual thread per
 * replica) until every node ends its stream or the client goes away.
 */
final class LogMerge {
    private static final Logger log = LoggerFactory.getLogger(LogMerge.class);

    /** A replica, the address of its node and the node's logs token (null for a node registered before V4). */
    record Source(UUID replica, String address, String logsToken) {}

    private final NodeLogClient client;
    private final List<Source> sources;
    private final int tail;
    private final SseEmitter emitter;
    private final Set<NodeLogClient.Upstream> open = ConcurrentHashMap.newKeySet();

    LogMerge(NodeLogClient client, List<Source> sources, int tail, SseEmitter emitter) {
        this.client = client;
        this.sources = sources;
        this.tail = tail;
        this.emitter = emitter;
        Runnable closeAll = () -> open.forEach(NodeLogClient.Upstream::close);
        emitter.onCompletion(closeAll);
        emitter.onError(e -> closeAll.run());
        emitter.onTimeout(closeAll);
    }

    void tail() {
        List<LogLine> lines = Collections.synchronizedList(new ArrayList<>());
        forEachSource(source -> read(source, false, lines::add));
        List<LogLine> sorted = lines.stream().sorted(Comparator.comparing(LogLine::time)).toList();
        try {
            for (LogLine line : sorted.subList(Math.max(0, sorted.size() - tail), sorted.size())) {
                emitter.send(SseEmitter.event().data(line, MediaType.APPLICATION_JSON));
            }
            StreamEnd.complete(emitter);
        } catch (IOException | IllegalStateException e) {
            StreamEnd.completeWithError(emitter, e);
        }
    }

    void follow() {
        forEachSource(source -> read(source, true, line -> {
            try {
                emitter.send(SseEmitter.event().data(line, MediaType.APPLICATION_JSON));
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }));
        StreamEnd.complete(emitter);
    }

    private void forEachSource(Consumer<Source> reader) {
        List<Thread> threads = sources.stream().map(s -> Thread.ofVirtual().start(() -> reader.accept(s))).toList();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void read(Source source, boolean follow, Consumer<LogLine> sink) {
        try (NodeLogClient.Upstream upstream = client.open(source, tail, follow)) {
            open.add(upstream);
            upstream.forEach(sink);
        } catch (IOException | RuntimeException e) {
            log.debug("log stream of replica {} at {} ended: {}", source.replica(), source.address(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client of the merged stream went away: stop reading this node. */
    private static final class ClientGone extends RuntimeException {
        ClientGone(IOException cause) {
            super(cause);
        }
    }
}
