package dev.nanolet.platform.logs;

import dev.nanolet.platform.web.StreamEnd;
import dev.nanolet.wire.LogLine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Merges the log streams of several replicas into one SSE response. Without follow, every
 * node's tail is read, ordered by time and the last {@code tail} lines are sent, then the stream
 * ends. With follow, each node's stream is forwarded as lines arrive (one virtual thread per
 * replica) until every node ends its stream, the client goes away, or the caller's token is revoked or expires
 * (asked every {@link #CHECK_EVERY}: before, a follow outlived both for as long as the replicas ran); every check
 * also writes an SSE comment, so that a client that left is found even when no replica writes.
 */
final class LogMerge {
    private static final Logger log = LoggerFactory.getLogger(LogMerge.class);
    /** How often a follow asks whether the caller's credential still holds. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    /**
     * Checks in a row the database may leave unanswered before the follow ends: a pool that had no connection to
     * spare for a couple of seconds ended every follow at once before, an outage still ends them.
     */
    static final int UNANSWERED_CHECKS = 3;

    /** A replica, the address of its node and the node's logs token (null for a node registered before V4). */
    record Source(UUID replica, String address, String logsToken) {}

    private final NodeLogClient client;
    private final List<Source> sources;
    private final int tail;
    private final SseEmitter emitter;
    private final Set<NodeLogClient.Upstream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean ended;
    private final Runnable onEnd;

    /**
     * @param ended run once the stream has ended, whichever way (the follow's thread returns, or the client left, the
     *     response failed or timed out); it may run more than once
     */
    LogMerge(NodeLogClient client, List<Source> sources, int tail, SseEmitter emitter, Runnable ended) {
        this.client = client;
        this.sources = sources;
        this.tail = tail;
        this.emitter = emitter;
        this.onEnd = ended;
        Runnable closeAll = () -> {
            open.forEach(NodeLogClient.Upstream::close);
            ended.run();
        };
        emitter.onCompletion(closeAll);
        emitter.onError(e -> closeAll.run());
        emitter.onTimeout(closeAll);
    }

    /**
     * Sends the last {@code tail} lines of the nodes' tails and ends. A node still sending (or silent) once {@code within}
     * has passed is cut off like one that passed any other bound: what it sent before is kept, the other nodes' lines
     * are sent. Before, a node that sent its tail a byte every few seconds, or its headers and then nothing, held the
     * response, and its client, for good.
     */
    void tail(Duration within) {
        List<LogLine> lines = new ArrayList<>();
        Thread readers = Thread.ofVirtual().start(() -> forEachSource(source -> read(source, false, line -> {
            synchronized (lines) {
                lines.add(line);
            }
        })));
        try {
            if (!readers.join(within)) {
                log.debug("a node's log tail was still being read after {}: cut off", within);
                ended = true;
                open.forEach(NodeLogClient.Upstream::close);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<LogLine> sorted;
        synchronized (lines) {
            sorted = lines.stream().sorted(Comparator.comparing(LogLine::time)).toList();
        }
        try {
            for (LogLine line : sorted.subList(Math.max(0, sorted.size() - tail), sorted.size())) {
                emitter.send(SseEmitter.event().data(line, MediaType.APPLICATION_JSON));
            }
            StreamEnd.complete(emitter);
        } catch (IOException | IllegalStateException e) {
            StreamEnd.completeWithError(emitter, e);
        }
    }

    void follow(BooleanSupplier stillValid) {
        try {
            followUntilEnd(stillValid);
        } finally {
            onEnd.run();
        }
    }

    private void followUntilEnd(BooleanSupplier stillValid) {
        List<Thread> readers = start(source -> read(source, true, line -> {
            try {
                emitter.send(SseEmitter.event().data(line, MediaType.APPLICATION_JSON));
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }));
        int unanswered = 0;
        try {
            for (Thread reader : readers) {
                while (!reader.join(CHECK_EVERY)) {
                    Boolean holds = answer(stillValid);
                    unanswered = holds == null ? unanswered + 1 : 0;
                    if (Boolean.FALSE.equals(holds) || unanswered >= UNANSWERED_CHECKS) {
                        ended = true;
                        open.forEach(NodeLogClient.Upstream::close);
                        StreamEnd.complete(emitter);
                        return;
                    }
                    if (!clientStillThere()) {
                        ended = true;
                        open.forEach(NodeLogClient.Upstream::close);
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StreamEnd.complete(emitter);
    }

    /**
     * Writes a comment, which a client ignores, to learn whether the client is still there: a follow of quiet replicas
     * writes nothing else, and only a write finds that its client left (the second after it left, as a rule), so such a
     * follow held its nodes' connections and its place among the caller's follows until a replica wrote a line.
     */
    private boolean clientStillThere() {
        try {
            emitter.send(SseEmitter.event().comment(""));
            return true;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    /** Whether the caller's credential still holds; null when the database could not answer. */
    private static Boolean answer(BooleanSupplier stillValid) {
        try {
            return stillValid.getAsBoolean();
        } catch (RuntimeException e) {
            log.debug("a followed log's token could not be checked: {}", e.toString());
            return null;
        }
    }

    private List<Thread> start(Consumer<Source> reader) {
        return sources.stream().map(s -> Thread.ofVirtual().start(() -> reader.accept(s))).toList();
    }

    private void forEachSource(Consumer<Source> reader) {
        for (Thread t : start(reader)) {
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
            if (!ended) {
                upstream.forEach(sink);
            }
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
