package dev.nanolet.agent.logs;

import dev.nanolet.agent.config.DataPlaneProperties;
import dev.nanolet.wire.Digits;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/** The log buffers of the replicas this node has, by replica id. */
@Component
public class LogStore {

    private final ConcurrentMap<UUID, LogBuffer> buffers = new ConcurrentHashMap<>();
    private final int capacity;
    private final Clock clock;

    public LogStore(DataPlaneProperties props, Clock clock) {
        this.capacity = props.logLines();
        this.clock = clock;
    }

    /** The buffer of {@code replica}, created on first use; a restarted replica keeps its lines. */
    public LogBuffer open(UUID replica) {
        return buffers.computeIfAbsent(replica, id -> new LogBuffer(id, capacity, clock));
    }

    /**
     * The count of last lines {@code text} asks for ({@code tail} here, {@code tailLines} on the kubelet API): 1 to
     * {@value Digits#MAX_DIGITS} ASCII digits, bounded to the lines a buffer keeps; empty for anything else ({@link
     * Integer#parseInt} would take {@code +5} and {@code ٥}, and throw above {@code 2147483647}).
     */
    public OptionalInt tail(String text) {
        OptionalLong n = Digits.parse(text, Digits.MAX_DIGITS);
        return n.isPresent() ? OptionalInt.of((int) Math.min(n.getAsLong(), capacity)) : OptionalInt.empty();
    }

    /** What {@link #tail} takes, for a refusal of parameter {@code name}. */
    public String tailRule(String name) {
        return name + " must be a number of lines written with the digits 0-9 only (no sign or space), at most "
                + Digits.MAX_DIGITS + " of them; more than the " + capacity + " lines a replica keeps reads them all";
    }

    public Optional<LogBuffer> find(UUID replica) {
        return Optional.ofNullable(buffers.get(replica));
    }

    /** Drops the buffer of a replica the node forgot, ending its followers. */
    public void remove(UUID replica) {
        LogBuffer b = buffers.remove(replica);
        if (b != null) {
            b.close();
        }
    }
}
