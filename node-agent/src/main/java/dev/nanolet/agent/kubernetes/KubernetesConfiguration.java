package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.RestartProperties;
import dev.nanolet.agent.http.ListenerSettings;
import dev.nanolet.agent.logs.LogStore;
import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.agent.replica.Replicas;
import dev.nanolet.oci.OciModules;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** Kubernetes mode ({@code nanolet.control-plane=kubernetes}): the client, the OCI module source and the adapter. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "nanolet.control-plane", havingValue = "kubernetes")
@EnableConfigurationProperties(KubernetesProperties.class)
class KubernetesConfiguration {

    /** The largest module the node pulls (platform-api's upload limit is 64 MiB by default). */
    private static final long MAX_MODULE_BYTES = 256L * 1024 * 1024;

    /** From {@code KUBECONFIG} (or ~/.kube/config) or the in-cluster service account. */
    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    OciModules ociModules(NodeProperties node, KubernetesProperties props) {
        return new OciModules(node.dataDir().resolve("oci"), props.insecureRegistries(), MAX_MODULE_BYTES, props.pullTimeout());
    }

    @Bean
    KubeletApi kubeletApi(KubernetesProperties props, NodeProperties node, KubernetesControlPlane adapter, LogStore logs, Clock clock,
            ListenerSettings listener) {
        return new KubeletApi(props, node.name(), adapter::uid, logs, clock, listener::apply);
    }

    /**
     * Desired state and replicas are lazy: they report back through this adapter. Its counters
     * {@code nanolet_kubernetes_writes_retried_total} and {@code nanolet_kubernetes_writes_given_up_total} count the
     * pods' own writes ({@link PodWrites}) tried again after a failure, and refused for good;
     * {@code nanolet_kubernetes_events_dropped_total} the pods' events dropped unposted ({@link EventRecorder}).
     */
    @Bean(destroyMethod = "close")
    KubernetesControlPlane kubernetesControlPlane(KubernetesClient client, NodeProperties node, KubernetesProperties props,
            @Lazy DesiredState desired, OciModules oci, Clock clock, RestartProperties backoff, @Lazy Replicas replicas,
            @Qualifier("agentTimer") ScheduledExecutorService timer, MeterRegistry registry) {
        KubernetesControlPlane adapter = new KubernetesControlPlane(client, node, props, desired, oci, clock, backoff,
                id -> replicas.find(id).map(r -> r.freeSlots() >= r.assignment().spec().limits().maxConcurrency())
                        .orElse(true),
                timer);
        FunctionCounter.builder("nanolet.kubernetes.writes.retried", adapter.writes(), PodWrites::retried)
                .description("Pod status writes and deletes the API server failed, tried again after a back-off").register(registry);
        FunctionCounter.builder("nanolet.kubernetes.writes.given.up", adapter.writes(), PodWrites::givenUp)
                .description("Ephemeral containers' pod status writes the API server refused for good, not tried again").register(registry);
        FunctionCounter.builder("nanolet.kubernetes.events.dropped", adapter.events(), EventRecorder::dropped)
                .description("Pod events dropped unposted: recorded while the queue of events to post was full, or as the agent stopped").register(registry);
        return adapter;
    }
}
