package dev.nanolet.agent.logs;

import dev.nanolet.wire.LogLine;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** The last lines one replica wrote, with timestamps, and a live feed of new ones. */
public final class LogBuffer {

    private final UUID replica;
    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
    private final Sinks.Many<LogLine> live = Sinks.many().multicast().directBestEffort();

    public LogBuffer(UUID replica, int capacity, Clock clock) {
        this.replica = replica;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** An output stream that turns what a guest writes to {@code stream} into lines of this buffer. */
    public OutputStream stream(String stream) {
        return new LineOutputStream(line -> append(stream, line));
    }

    public synchronized void append(String stream, String line) {
        LogLine l = new LogLine(clock.instant(), replica, stream, line);
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(l);
        live.emitNext(l, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofMillis(100)));
    }

    /** The last {@code n} lines. */
    public synchronized List<LogLine> tail(int n) {
        return lines.stream().skip(Math.max(0, lines.size() - n)).toList();
    }

    /** The last {@code n} lines and then, if {@code follow}, every new line until cancelled. */
    public Flux<LogLine> read(int n, boolean follow) {
        if (!follow) {
            return Flux.defer(() -> Flux.fromIterable(tail(n)));
        }
        return Flux.defer(() -> Flux.fromIterable(tail(n)).concatWith(live.asFlux()));
    }

    /** Ends every follower. */
    public void close() {
        live.tryEmitComplete();
    }
}
