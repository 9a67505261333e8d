package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster's Services, from an informer of every namespace's, as a kubelet's {@code serviceLister} reads them: a
 * pod's Service variables are read from its cache, with no request to the API server. Every namespace, not those of
 * the node's pods: one list and one watch for the node, as a kubelet's, where an informer per namespace would list
 * again each time a pod came to a namespace the node had none in. Listed in pages of {@value #PAGE}.
 * Until its first list the Services "cannot be read now" ({@link PodTranslation.Unread}: the pod is weighed again
 * soon, as a kubelet fails a pod's start until its Service informer has synced); a list the API server refuses (401,
 * 403) says so in the pod's status ({@link PodTranslation.MissingConfig}) and is listed again by the informer's
 * back-off, logged once per outage ({@link InformerOutage}). Once listed, the cache is read whatever the watch does since,
 * as a kubelet reads its lister's. The cache keeps of each Service what its variables are made of (namespace, name,
 * {@code spec.clusterIP}, {@code spec.ports}), not its labels, annotations (a {@code kubectl apply}'s copy of the whole
 * object among them), selector or status: every Service of the cluster is held, so the node holds little of each.
 */
final class ServiceCache implements AutoCloseable {

    /** Services read in one answer of the informer's list. */
    static final long PAGE = 500;
    private static final String WHAT = "services";
    private static final String VERBS = "list and watch on services";
    /** What {@link ServiceEnv} reads of a Service, besides its namespace and name. */
    private static final String[] KEPT = {"spec.clusterIP", "spec.ports"};
    private final SharedIndexInformer<Service> informer;
    /** The latest failure of the informer's list or watch. */
    private volatile KubernetesClientException failure;
    /** Completes once the informer listed the Services, or first failed to. */
    private final CompletableFuture<Void> firstList = new CompletableFuture<>();

    ServiceCache(KubernetesClient client) {
        this.informer = client.services().inAnyNamespace().withLimit(PAGE).runnableInformer(0)
                .itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Service.class,
                        client.getKubernetesSerialization(), KEPT));
        InformerOutage outage = new InformerOutage("the cluster's Services", VERBS, true, informer::lastSyncResourceVersion, e -> {
            failure = clientFailure(e);
            firstList.complete(null);
        });
        informer.exceptionHandler(outage);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Service s) {
                outage.listed();
            }

            @Override
            public void onUpdate(Service old, Service s) {
                outage.listed();
            }

            @Override
            public void onDelete(Service s, boolean unknown) {
                outage.listed();
            }

            @Override
            public void onNothing() {
                outage.listed();
            }
        });
    }

    /**
     * Starts the informer: completes once it listed the Services, or first failed to (it keeps trying, after a back-off,
     * for ever; the future of its start completes only once it listed them).
     */
    CompletableFuture<Void> start() {
        informer.start().whenComplete((v, e) -> firstList.complete(null));
        return firstList;
    }

    /** The Services of {@code namespace}. */
    List<Service> services(String namespace) {
        readable();
        return informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    /** Service {@code name} of {@code namespace}, if there is one. */
    Optional<Service> service(String namespace, String name) {
        readable();
        return Optional.ofNullable(informer.getIndexer().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }

    /** The cluster's Services are read whole, not a namespace's: a failure names no namespace. */
    private void readable() {
        if (informer.hasSynced()) {
            return;
        }
        KubernetesClientException f = failure;
        throw f == null ? ClusterConfig.unread(WHAT, "not listed yet") : ClusterConfig.unreadable(WHAT, VERBS, f);
    }

    /** The API server's answer in {@code e}'s causes, or {@code e} as a failure with no answer. */
    static KubernetesClientException clientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return k;
            }
        }
        return new KubernetesClientException(String.valueOf(e.getMessage()), e);
    }

    @Override
    public void close() {
        informer.close();
    }
}
