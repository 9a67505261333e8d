package dev.nanolet.agent.logs;

import dev.nanolet.agent.config.DataPlaneProperties;
import dev.nanolet.wire.Digits;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** The log buffers of the replicas this node has, by replica id. */
@Component
public class LogStore {
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

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
     * The count of last lines {@code text} asks for ({@code tail} here, {@code tailLines} on the kubelet API): ASCII
     * digits, as many as sent, bounded to the lines a buffer keeps; empty for anything else ({@link Integer#parseInt}
     * would take {@code +5} and {@code ٥}, and throw above {@code 2147483647}). No count of digits is too many: the API
     * server passes on any {@code int64} {@code kubectl logs --tail} gives, 19 digits up to {@code 9223372036854775807}.
     */
    public OptionalInt tail(String text) {
        if (text == null || !DIGITS.matcher(text).matches()) {
            return OptionalInt.empty();
        }
        long n = Digits.parse(text.replaceFirst("^0+(?=.)", ""), Digits.MAX_DIGITS).orElse(Long.MAX_VALUE);
        return OptionalInt.of((int) Math.min(n, capacity));
    }

    /** The lines a buffer keeps ({@code log-lines}): as many last lines as that read a whole log. */
    public int capacity() {
        return capacity;
    }

    /** What {@link #tail} takes, for a refusal of parameter {@code name}. */
    public String tailRule(String name) {
        return name + " must be a number of lines written with the digits 0-9 only (no sign or space); more than the "
                + capacity + " lines a replica keeps reads them all";
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
