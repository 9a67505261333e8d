package dev.nanolet.agent.logs;

import dev.nanolet.agent.config.DataPlaneProperties;
import java.time.Clock;
import java.util.Optional;
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
