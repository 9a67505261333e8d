package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;

/**
 * The client of every request the adapter makes but its informer's list and watch, with fabric8's own retries bounded.
 * By default fabric8 retries a 5xx, a 429 or an I/O error ten times, 0.1 s apart doubling up to 3.2 s: some 19 s of
 * waiting per request, and some two minutes when the API server does not answer at all (each attempt also waits up to
 * its timeouts, 10 s by default). One pod's read or event then held the adapter's single worker, and every other pod's
 * change behind it (its status writes and deletes now run off it), and a lease renewal outlasted the lease. A blip is still retried here; an outage
 * fails the call, and the node makes it again itself:
 * <ul>
 * <li>a read of what a pod needs, after {@link ReadRetries}' back-off;
 * <li>a replica's report's status write, sent again by the node's report outbox with its back-off;
 * <li>a refusal's, a wait's or an ephemeral container's status write, and the delete after a drain ({@link PodDeletion}),
 * after their own back-off ({@link PodWrites}), off the worker: one the API server does not answer holds only itself;
 * <li>the lease and the node's status, at the next renewal, which then has the pods listed again ({@link NodeHeartbeat});
 * <li>an event: not at all, it is lost, as a kubelet's is.
 * </ul>
 */
final class BriefRetries {

    /** fabric8's own retries of one request: after some 100 ms, then 200 ms (its default interval, doubled). */
    static final int RETRIES = 2;

    private BriefRetries() {}

    /**
     * A client sharing {@code client}'s connections and configuration, but retrying at most {@link #RETRIES} times (fewer
     * if {@code client} is set to); closed with it.
     */
    static KubernetesClient of(KubernetesClient client) {
        RequestConfig config = client.getConfiguration().getRequestConfig();
        return client.newClient(new RequestConfigBuilder(config)
                .withRequestRetryBackoffLimit(Math.min(config.getRequestRetryBackoffLimit(), RETRIES)).build()).adapt(KubernetesClient.class);
    }
}
