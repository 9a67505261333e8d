package dev.nanolet.platform.node;

import dev.nanolet.platform.control.Changes;
import dev.nanolet.platform.control.ControlProperties;
import dev.nanolet.platform.control.ControlPass;
import dev.nanolet.platform.database.DatabaseOutage;
import dev.nanolet.platform.event.Events;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Evicts the replicas of NotReady nodes (lease older than the lease duration): they are removed,
 * so the deployment controller creates replacements that the scheduler binds elsewhere.
 * Succeeded and Failed replicas stay: nothing runs them any more. Each node is evicted in one
 * transaction that locks the node's replicas, then the node's row, then claims its lease (both
 * {@code SKIP LOCKED}, in the lock order of docs/node-protocol.md), so instances never evict the
 * same node twice, and a renewal either commits before the claim (which then finds the lease
 * fresh and evicts nothing) or waits for the eviction to commit. A renewal waits only for that
 * claim: it writes the lease's row, never the node's, which the scheduler holds while it binds.
 *
 * <p>Http replicas go as soon as the lease expires. Jobs go only once the lease is older than the
 * lease duration plus {@link NodeProperties#jobFenceMargin()}: a node that cannot renew its lease
 * stops its own jobs after one lease duration (it fences itself), so by then the old run is known
 * stopped and the replacement never runs at the same time as it.
 *
 * <p>Leases expire with time, not with a change: eviction runs on the loop's periodic round only
 * ({@link Changes#ALL}, every {@code nanolet.control.interval}), which keeps its query off the path from
 * a change to the controller and scheduler that act on it.
 *
 * <p>A lease is judged only by an instance that could have seen it renewed: after this instance
 * starts, or after a pass could not reach PostgreSQL, it evicts nothing until it has watched for
 * one lease duration (as Kubernetes' node lifecycle controller starts every node's grace period
 * afresh). Otherwise a platform-api restarted, or a database back, after more than a lease would
 * evict every node's replicas at once, although the nodes renew as soon as they can. That watch is
 * timed by a monotonic ticker, never by the wall clock: a step of the clock (NTP) is not time watched,
 * so a step forward right after a start does not end the watch early. Leases themselves are compared
 * in wall time, as they are written. The watch starts when a pass has reached PostgreSQL, not when
 * it started: a pass that began during an outage waits for a connection (up to the pool's timeout)
 * and, answered after the return, would otherwise count that wait as time the nodes could renew. An outage shorter
 * than the pool's wait may be waited out inside one pass, which throws nothing: so the watch also starts afresh when a
 * pass is answered more than half a lease after the last one ({@link NodeProperties#outageMayLieBetween}, the rule
 * {@code RouteTable} judges its gaps by; passes come every control interval, 2 s). A control interval of half a lease or
 * more would make every gap that long, and nothing would ever be evicted: then the gap must exceed one and a half
 * intervals.
 *
 * <p>Only failing to reach PostgreSQL ({@link DatabaseOutage}) restarts the watch. A node whose eviction fails
 * otherwise (a constraint, a bug, a lock timeout) is logged at WARN and tried again next pass; the other nodes'
 * evictions go on: one node that always fails must not stop evictions for the fleet.
 *
 * <p>When no registered node is Ready, evictions pause (Kubernetes' node lifecycle controller calls it "full
 * disruption"): every lease expiring at once points at the platform's side (its network, its database, a pause of its
 * own), and evicting cannot help, as no node could take the replicas and the nodes would come back to find their work
 * gone. A WARN is logged when they pause and an INFO when they resume, once each per instance, and the platform records
 * them once as the events {@code EvictionsPaused} and {@code EvictionsResumed} ({@link EvictionPauses}). They resume when a node is Ready
 * again, and then, as after an outage, the watch starts afresh: nodes come back together, and each gets a lease to
 * renew. A platform of one node therefore never evicts it: its replicas wait for it, or for a new node to be Ready. A
 * deleted node counts for nothing; a drained (cordoned) node that renews counts as Ready, since it shows the platform
 * reaches its nodes.
 *
 * <p>Nodes that stop renewing together (the platform's network down) do not go NotReady together: their leases run out
 * up to a renew interval apart, and the first ones out would be evicted while the last are still Ready. So a lease is
 * judged against the last renewal the platform received, not only against now: a node is evicted only once its lease
 * ran out before some other node renewed, which shows the platform could be reached while this node did not renew. That
 * costs an eviction the time until the next renewal of another node, a renew interval at most.
 */
@Component
@Order(ControlPass.EVICTION)
class NodeEviction implements ControlPass {
    private static final Logger log = LoggerFactory.getLogger(NodeEviction.class);
    private final RegisteredNodes nodes;
    private final NodeLeases leases;
    private final NodeReplicas replicas;
    private final Events events;
    private final EvictionPauses pauses;
    private final NodeProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final LongSupplier ticker;
    /** How often a periodic round, and so this pass, runs ({@code nanolet.control.interval}). */
    private final Duration interval;
    /**
     * Since when (ticker time) this instance has reached PostgreSQL on every pass, less than half a lease apart; null
     * before the first or after a failed one.
     */
    private volatile Long watchingSince;
    /** When (ticker time) the last pass that reached PostgreSQL was answered; null before the first. */
    private volatile Long lastAnswered;
    /** Whether evictions are paused because no registered node is Ready (full disruption); passes run one at a time. */
    private volatile boolean paused;
    /** Whether this instance's pause is on record as an event ({@link EvictionPauses#paused}), so its resume is one too. */
    private volatile boolean pauseOnRecord;

    @Autowired
    NodeEviction(RegisteredNodes nodes, NodeLeases leases, NodeReplicas replicas, Events events, EvictionPauses pauses,
            NodeProperties properties, TransactionTemplate tx, Clock clock, ControlProperties control) {
        this(nodes, leases, replicas, events, pauses, properties, tx, clock, System::nanoTime, control.interval());
    }

    /**
     * @param ticker nanoseconds from a monotonic source ({@link System#nanoTime}), which times the watch before evicting
     * @param interval how often a periodic round runs this pass
     */
    NodeEviction(RegisteredNodes nodes, NodeLeases leases, NodeReplicas replicas, Events events, EvictionPauses pauses,
            NodeProperties properties, TransactionTemplate tx, Clock clock, LongSupplier ticker, Duration interval) {
        this.nodes = nodes;
        this.leases = leases;
        this.replicas = replicas;
        this.events = events;
        this.pauses = pauses;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
        this.ticker = ticker;
        this.interval = interval;
    }

    @Override
    public void run(Changes changes) {
        if (!changes.all()) {
            return;
        }
        Instant readySince = properties.readySince(clock);
        Instant cutoff;
        List<String> expired;
        boolean anyReady;
        try {
            Optional<Instant> renewed = leases.lastRenewal();
            if (renewed.isEmpty()) {
                return; // no node is registered: none to evict, and no outage to pause for (a platform before its first node)
            }
            Instant lastRenewal = renewed.get();
            anyReady = !lastRenewal.isBefore(readySince);
            Instant outBeforeIt = lastRenewal.minus(properties.leaseDuration()); // a lease out only after it may be the platform's doing
            cutoff = outBeforeIt.isBefore(readySince) ? outBeforeIt : readySince;
            expired = replicas.expiredNodes(cutoff);
        } catch (RuntimeException e) {
            watchingSince = null;
            throw e;
        }
        long now = ticker.getAsLong(); // read once the query is answered: it may have waited out the outage for a connection
        if (watchingSince == null || lastAnswered != null && properties.outageMayLieBetween(lastAnswered, now, interval)) {
            watchingSince = now; // no pass failed, but one may have waited out an outage: nodes could not renew meanwhile
        }
        lastAnswered = now;
        if (!anyReady) {
            pause();
            return;
        }
        if (paused) {
            record(() -> {
                pauses.resumed(pauseOnRecord);
                return true;
            }, "resume");
            paused = false;
            watchingSince = now; // the nodes come back together: each gets a lease to renew, as after an outage
            log.info("evictions resume: a registered node is Ready again; nodes still NotReady a lease from now are evicted");
        }
        if (now - watchingSince < properties.leaseDuration().toNanos()) {
            return;
        }
        Instant jobCutoff = cutoff.minus(properties.jobFenceMargin());
        for (String node : expired) {
            try {
                tx.executeWithoutResult(s -> evict(node, cutoff, jobCutoff));
            } catch (RuntimeException e) {
                if (DatabaseOutage.is(e)) {
                    watchingSince = null; // PostgreSQL is out of reach: the nodes cannot renew either
                    throw e;
                }
                log.warn("evicting the replicas of NotReady node {} failed; the other nodes' evictions go on, this one's is tried "
                        + "again next pass", node, e);
            }
        }
    }

    private void pause() {
        if (!paused) {
            pauseOnRecord = record(pauses::paused, "pause");
            paused = true;
            log.warn("evictions pause: no registered node is Ready; the cause is likely on the platform's side (its network, its "
                    + "database, a pause of its own) and no node could take the replicas. They resume once a node is Ready again");
        }
    }

    /**
     * Records the pause or the resume as an event ({@link EvictionPauses}). Failing to reach PostgreSQL restarts the
     * watch and leaves the change for the next pass to record; any other failure is logged and the change goes on
     * unrecorded: an event that cannot be written must not hold evictions paused.
     *
     * @return what {@code recording} answered; false when it failed
     */
    private boolean record(BooleanSupplier recording, String change) {
        try {
            return recording.getAsBoolean();
        } catch (RuntimeException e) {
            if (DatabaseOutage.is(e)) {
                watchingSince = null;
                throw e;
            }
            log.warn("recording that evictions {} failed; they {} all the same", change, change, e);
            return false;
        }
    }

    private void evict(String node, Instant cutoff, Instant jobCutoff) {
        var running = replicas.lockRunning(node);
        if (!nodes.lockIfFree(node)) {
            return;
        }
        Optional<Boolean> jobsFenced = leases.claimIfExpired(node, cutoff, jobCutoff);
        if (jobsFenced.isEmpty()) {
            return;
        }
        var evicted = running.stream().filter(r -> r.http() || jobsFenced.get()).toList();
        if (evicted.isEmpty()) {
            return;
        }
        events.warning("node/" + node, null, null, node, "NodeNotReady",
                "lease not renewed for " + properties.leaseDuration() + "; evicting " + evicted.size() + " replicas");
        replicas.remove(node, evicted, "Evicted", "node " + node + " is NotReady; the replica will be scheduled elsewhere");
    }
}
