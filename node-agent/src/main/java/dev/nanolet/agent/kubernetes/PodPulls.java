package dev.nanolet.agent.kubernetes;

import dev.nanolet.oci.OciModules;
import dev.nanolet.oci.OciPullException;
import dev.nanolet.oci.PullPolicy;
import dev.nanolet.oci.PulledModule;
import dev.nanolet.oci.RegistryCredentials;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pulls for pods, each under its own credentials only (those of its {@code imagePullSecrets} for the registry, or
 * none). The node's OCI cache is shared by all pods, so a pod is handed a cached module only if the registry let the
 * same credentials (or anonymous access) resolve the same reference to the same manifest since the agent started;
 * otherwise the node asks the registry under the pod's credentials ({@code Always}: a blob already on disk is not
 * fetched again), or, under {@code Never}, refuses. Pods with the same reference and credentials share their pulls:
 * one at a time, and under {@code IfNotPresent} the later ones take the cache. As a kubelet with
 * {@code KubeletEnsureSecretPulledImages}, but the record of who was let in is kept in memory only: after a restart
 * the first pull of each reference under each set of credentials asks the registry again. A tenant's pods can name
 * as many references and credentials as they like, so the record is bounded: a pull that was refused leaves none, and
 * past {@value #REMEMBERED} the one used longest ago is forgotten (its next pod asks the registry again).
 */
final class PodPulls {

    private record Access(String reference, RegistryCredentials credentials) {
    }

    /** The image id the registry last resolved a reference to under some credentials; guards their pulls. */
    private static final class Granted {
        private String imageId;
    }

    /** How many grants are remembered at most. */
    static final int REMEMBERED = 4096;

    private final OciModules oci;
    /** By access order; guarded by itself (each grant's pulls by the grant). */
    private final Map<Access, Granted> granted;

    PodPulls(OciModules oci) {
        this(oci, REMEMBERED);
    }

    PodPulls(OciModules oci, int remembered) {
        this.oci = oci;
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
        synchronized (g) {
            try {
                return pullHolding(g, reference, credentials, policy);
            } finally {
                if (g.imageId == null) { // refused: nothing to remember
                    synchronized (granted) {
                        granted.remove(access, g);
                    }
                }
            }
        }
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
