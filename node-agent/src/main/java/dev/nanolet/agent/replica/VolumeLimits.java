package dev.nanolet.agent.replica;

import dev.nanolet.agent.config.VolumeProperties;
import dev.nanolet.wire.ReplicaPhase;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps each replica's volumes under {@code nanolet.volumes.max-bytes}, as the kubelet keeps an
 * {@code emptyDir} under its {@code sizeLimit}: every {@code check-interval} it measures the volumes of each
 * replica that has any ({@link Volumes#usage}) and fails a replica above the limit with reason
 * {@value Reasons#VOLUME_LIMIT_EXCEEDED} (a Warning event says how much). Its run stops, an http replica
 * stops serving and platform-api replaces it with a new replica (new, empty volumes); the old volumes are
 * deleted with the old replica. Each check also sets the replica's {@code DiskQuota} again to what it
 * measured ({@link Volumes#measure}), which its guests' writes are refused against as they happen.
 * The walk runs on a thread of its own, never on the agent's timer (the guest pool's watchdog uses that).
 */
@Component
class VolumeLimits implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(VolumeLimits.class);
    private static final long STOP_WAIT_SECONDS = 5;

    private final Replicas replicas;
    private final Volumes volumes;
    private final VolumeProperties props;
    private ScheduledExecutorService checker;

    VolumeLimits(Replicas replicas, Volumes volumes, VolumeProperties props) {
        this.replicas = replicas;
        this.volumes = volumes;
        this.props = props;
    }

    /** Measures every replica with volumes once and fails those above the limit. */
    void check() {
        long max = props.maxBytes().toBytes();
        for (LocalReplica r : replicas.all()) {
            if (r.assignment().spec().volumes().isEmpty() || !r.phase().canMoveTo(ReplicaPhase.Failed)) {
                continue;
            }
            long used = volumes.measure(r.id());
            if (used > max) {
                log.warn("replica {} of {}/{}: its volumes use more than {} bytes, failing it", r.id(),
                        r.assignment().namespace(), r.assignment().deployment(), max);
                replicas.evict(r, Reasons.VOLUME_LIMIT_EXCEEDED, "its volumes use more than " + max
                        + " bytes, the node's limit (NANOLET_VOLUMES_MAX_BYTES); a new replica starts with empty volumes");
            }
        }
    }

    @Override
    public void start() {
        long every = props.checkInterval().toMillis();
        checker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("volume-limits").daemon().factory());
        checker.scheduleWithFixedDelay(this::checkSafely, every, every, TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("measuring volumes failed, trying again in {}", props.checkInterval(), e);
        }
    }

    /**
     * Stops the checks without interrupting one under way: a check reads the size of a guest's open file through
     * the guest's own channel ({@code DiskQuota.unlinked}), and an interrupt there closes that channel under the
     * guest (ClosedByInterruptException). A check under way ends on its own (its walk stops at the limit); stop
     * waits for it up to {@value #STOP_WAIT_SECONDS} s and leaves it to end on its daemon thread past that.
     */
    @Override
    public void stop() {
        if (checker == null) {
            return;
        }
        checker.shutdown();
        try {
            if (!checker.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.info("a volume check still runs after {} s; stopping without it", STOP_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return checker != null && !checker.isShutdown();
    }
}
