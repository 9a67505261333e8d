package dev.nanolet.platform.replica;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.wire.ReplicaPhase;
import java.util.UUID;

/** A phase change the replica lifecycle does not allow; the API answers 409. */
public class IllegalReplicaTransitionException extends ConflictException {
    public IllegalReplicaTransitionException(UUID replica, ReplicaPhase from, ReplicaPhase to) {
        super("replica " + replica + " cannot move from " + from + " to " + to);
    }
}
