package dev.nanolet.platform.node;

import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.node.NodeLeases.Readiness;
import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records that evictions paused (a Warning {@code EvictionsPaused}) and resumed (a Normal {@code EvictionsResumed}) as
 * events of {@link #OBJECT}, once for the platform however many platform-api instances see it: each instance's
 * {@link NodeEviction} reports its own view of the change, and the first to report under an advisory lock records it;
 * the others find it recorded (the object's newest event already says so) and record nothing. The state is read again
 * under the lock, so an instance whose pass read the leases just before a node renewed does not record a pause that is
 * already over, nor, when it sees the node Ready next pass, the resume of that pause: a resume is recorded only of a
 * pause on record.
 */
@Component
class EvictionPauses {
    /** The events' object: the platform's evictions, not one node's. */
    static final String OBJECT = "platform/evictions";
    static final String PAUSED = "EvictionsPaused";
    static final String RESUMED = "EvictionsResumed";
    /** Key of the transaction-scoped advisory lock ({@code pg_advisory_xact_lock}) the instances record under. */
    static final long LOCK = 0x6E616E6F_65766963L;

    private final JdbcClient jdbc;
    private final NodeLeases leases;
    private final Events events;
    private final NodeProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;

    EvictionPauses(JdbcClient jdbc, NodeLeases leases, Events events, NodeProperties properties, TransactionTemplate tx,
            Clock clock) {
        this.jdbc = jdbc;
        this.leases = leases;
        this.events = events;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    /** Whether evictions are paused now: nodes are registered and none is Ready. */
    Readiness now() {
        return leases.readiness(properties.readySince(clock));
    }

    /**
     * This instance saw no registered node Ready: records the pause unless it is recorded, or over, already.
     *
     * @return whether the pause is on record: still no node Ready under the lock, so this call or an earlier one recorded
     *     it. False when a node renewed since this instance read the leases: nothing was paused on record, and there is
     *     nothing to resume ({@link #resumed})
     */
    boolean paused() {
        return Boolean.TRUE.equals(tx.execute(s -> {
            Readiness now = lockAndRead();
            if (now.evictionsPaused() && !events.newestReason(OBJECT).filter(PAUSED::equals).isPresent()) {
                events.warning(OBJECT, null, null, null, PAUSED, "no registered node is Ready (" + now.nodes() + " NotReady): the "
                        + "cause is likely on the platform's side (its network, its database, a pause of its own) and no node "
                        + "could take the replicas; NotReady nodes keep them until a node is Ready again");
            }
            return now.evictionsPaused();
        }));
    }

    /**
     * This instance saw a registered node Ready again: records the resume of the pause on record, unless it is recorded,
     * or over, already. The pause on record is the object's newest event; when the object has none (the TTL pruned a
     * long pause's), it is the one this instance found on record, if it did ({@code pauseOnRecord}, what {@link #paused}
     * answered). Never a resume of a pause that was never recorded.
     */
    void resumed(boolean pauseOnRecord) {
        tx.executeWithoutResult(s -> {
            Readiness now = lockAndRead();
            if (!now.evictionsPaused() && events.newestReason(OBJECT).map(PAUSED::equals).orElse(pauseOnRecord)) {
                events.normal(OBJECT, null, null, null, RESUMED, now.ready() + " of " + now.nodes() + " registered nodes Ready "
                        + "again; nodes still NotReady a lease from now are evicted");
            }
        });
    }

    private Readiness lockAndRead() {
        jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(?)").param(LOCK).query(Integer.class).single();
        return now();
    }
}
