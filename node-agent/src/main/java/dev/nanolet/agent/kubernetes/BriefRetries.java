package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;

/**
 * The client's requests that the node tries again itself, with fabric8's own retries bounded: by default it retries a
 * 5xx, a 429 or an I/O error ten times over some 100 s, which blocked the adapter's single worker (and every other
 * pod's change behind it) on one pod's read. Reads of what a pod needs are weighed again after {@link ReadRetries}'
 * back-off, and an event the API server does not take is lost anyway, so a blip is retried here and an outage is not.
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
