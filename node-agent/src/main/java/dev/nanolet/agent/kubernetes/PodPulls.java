package dev.nanolet.agent.kubernetes;

import dev.nanolet.oci.OciModules;
import dev.nanolet.oci.OciPullException;
import dev.nanolet.oci.PullPolicy;
import dev.nanolet.oci.PulledModule;
import dev.nanolet.oci.RegistryCredentials;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pulls for pods, each under its own credentials only (those of its {@code imagePullSecrets} for the registry, or
 * none). The node's OCI cache is shared by all pods, so a pod is handed a cached module only if the registry let the
 * same credentials (or anonymous access) resolve the same reference to the same manifest since the agent started;
 * otherwise the node asks the registry under the pod's credentials ({@code Always}: a blob already on disk is not
 * fetched again), or, under {@code Never}, refuses. Pods with the same reference and credentials share their pulls:
 * one at a time, and under {@code IfNotPresent} the later ones take the cache; a pod does not wait for another's pull
 * for longer than {@link #WAIT} (its own fails as unreachable, and is tried again after a back-off), so a registry
 * that never answers holds no more than that pull, and that one only until {@link OciModules}' pull timeout. The lock is a {@link ReentrantLock}, not a monitor: on Java 21 a
 * virtual thread that does I/O in a {@code synchronized} block, or waits to enter one, pins its carrier, and a few
 * pods naming a stalled registry would stall every virtual thread of the node. As a kubelet with
 * {@code KubeletEnsureSecretPulledImages}, but the record of who was let in is kept in memory only: after a restart
 * the first pull of each reference under each set of credentials asks the registry again. A tenant's pods can name
 * as many references and credentials as they like, so the record is bounded: a pull that was refused leaves none, and
 * past {@value #REMEMBERED} the one used longest ago is forgotten (its next pod asks the registry again).
 */
final class PodPulls {

    private record Access(String reference, RegistryCredentials credentials) {
    }

    /** The image id the registry last resolved a reference to under some credentials; its lock guards their pulls. */
    private static final class Granted {
        private final ReentrantLock lock = new ReentrantLock();
        private String imageId;
    }

    /** How many grants are remembered at most. */
    static final int REMEMBERED = 4096;
    /** How long a pull waits for another of the same reference under the same credentials. */
    static final Duration WAIT = Duration.ofMinutes(1);

    private final OciModules oci;
    private final Duration wait;
    /** By access order; guarded by itself (each grant's pulls by the grant). */
    private final Map<Access, Granted> granted;

    PodPulls(OciModules oci) {
        this(oci, REMEMBERED, WAIT);
    }

    PodPulls(OciModules oci, int remembered, Duration wait) {
        this.oci = oci;
        this.wait = wait;
        this.granted = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Access, Granted> eldest) {
                return size() > remembered;
            }
        };
    }

    /** How many (reference, credentials) grants are remembered. */
    int remembered() {
        synchronized (granted) {
            return granted.size();
        }
    }

    /** Whether a pull of {@code reference} under {@code credentials} is under way. */
    boolean pulling(String reference, RegistryCredentials credentials) {
        synchronized (granted) {
            Granted g = granted.get(new Access(reference, credentials));
            return g != null && g.lock.isLocked();
        }
    }

    /**
     * The module {@code reference} names, as a pod with {@code credentials} (null: anonymous) may have it.
     *
     * @throws OciPullException as {@link OciModules#pull} does; {@code NOT_PRESENT} also for a module that is on this
     *         node under {@code Never} but was not pulled with these credentials
     */
    PulledModule pull(String reference, RegistryCredentials credentials, PullPolicy policy) {
        Access access = new Access(reference, credentials);
        Granted g;
        synchronized (granted) {
            g = granted.computeIfAbsent(access, a -> new Granted());
        }
        lock(g, reference);
        try {
            return pullHolding(g, reference, credentials, policy);
        } finally {
            if (g.imageId == null) { // refused: nothing to remember
                synchronized (granted) {
                    granted.remove(access, g);
                }
            }
            g.lock.unlock();
        }
    }

    private void lock(Granted g, String reference) {
        try {
            if (g.lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new OciPullException(OciPullException.Kind.UNREACHABLE, "cannot pull " + reference + ": another pull of it with"
                + " the same credentials has taken longer than " + wait.toSeconds() + "s", null);
    }

    /** Under {@code g}'s lock. */
    private PulledModule pullHolding(Granted g, String reference, RegistryCredentials credentials, PullPolicy policy) {
        if (policy != PullPolicy.Always && g.imageId != null) {
            PulledModule cached = oci.pull(reference, credentials, policy);
            if (cached.imageId().equals(g.imageId)) {
                return cached;
            }
        }
        if (policy == PullPolicy.Never) {
            oci.pull(reference, credentials, policy); // not on this node at all: says so
            throw new OciPullException(OciPullException.Kind.NOT_PRESENT, reference + " is on this node, but was not pulled"
                    + " with this pod's imagePullSecrets, and imagePullPolicy is Never", null);
        }
        PulledModule m = oci.pull(reference, credentials, PullPolicy.Always);
        g.imageId = m.imageId();
        return m;
    }
}
