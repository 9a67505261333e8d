package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * An informer over the pods bound to this node: it lists and watches them with the field selector
 * {@code spec.nodeName=<node>}, as a kubelet does, so that the node holds and hears of its own pods only, not of every
 * pod of the cluster. {@link PodChanges} checks the node name again. Its callbacks only enqueue; the single worker
 * thread {@code work} does the rest.
 */
final class PodInformer {

    private static final Logger log = LoggerFactory.getLogger(PodInformer.class);
    /** The field a kubelet selects its pods by. */
    static final String NODE_NAME = "spec.nodeName";
    private final KubernetesClient client;
    private final String nodeName;
    private final Duration resync;
    private final ExecutorService work;
    private final PodChanges changes;
    private volatile SharedIndexInformer<Pod> watching;
    /**
     * Logs its failures once per outage, across the informers it starts. A failure of the first list stops the informer
     * (the driver starts another, with a line of its own for each); later ones are retried.
     */
    private final InformerOutage outage;

    PodInformer(KubernetesClient client, String nodeName, Duration resync, ExecutorService work, PodChanges changes) {
        this.client = client;
        this.nodeName = nodeName;
        this.resync = resync;
        this.work = work;
        this.changes = changes;
        this.outage = new InformerOutage("the pods bound to " + nodeName, "list and watch on pods", false, () -> {
            SharedIndexInformer<Pod> w = watching;
            return w == null ? null : w.lastSyncResourceVersion();
        }, e -> {});
    }

    /** Whether the latest informer had listed the pods and is not watching now (the API server went away). */
    boolean lostWatch() {
        SharedIndexInformer<Pod> informer = watching;
        return informer != null && informer.hasSynced() && !informer.isWatching();
    }

    /** A new informer: a signal after each change it handled; errors or completes when the informer stops. */
    Flux<Boolean> watch() {
        return Flux.create(sink -> {
            SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace().withField(NODE_NAME, nodeName)
                    .runnableInformer(resync.toMillis());
            watching = informer;
            informer.exceptionHandler(outage);
            // the snapshot weighs the first list's pods together (it reads the informer's store, filled before
            // start() completes), so that which pod keeps a contested route does not depend on the list's order;
            // the list's own onAdd events are dropped until then. They may reach the worker after the snapshot too:
            // fabric8 7.5.2 hands them to its listeners on its own serial executor once the list is stored
            // (ProcessorStore.retainAll), and its Reflector lets start() go on without waiting for that executor after
            // the first list (it waits only after a relist, when it has a resourceVersion already). One that comes
            // after weighs again a pod the snapshot weighed, as any of its events would (a pod keeps a route it holds).
            // Only the worker reads `listed`
            AtomicBoolean listed = new AtomicBoolean();
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Pod pod) {
                    outage.listed();
                    enqueue(sink, () -> ifListed(listed, () -> changes.changed(pod)));
                }

                @Override
                public void onUpdate(Pod old, Pod pod) {
                    outage.listed();
                    enqueue(sink, () -> ifListed(listed, () -> changes.changed(pod)));
                }

                @Override
                public void onDelete(Pod pod, boolean finalStateUnknown) {
                    outage.listed();
                    enqueue(sink, () -> ifListed(listed, () -> changes.gone(pod)));
                }

                @Override
                public void onNothing() {
                    outage.listed();
                }
            });
            informer.stopped().whenComplete((v, e) -> {
                if (e != null) {
                    sink.error(e);
                } else {
                    sink.complete();
                }
            });
            sink.onDispose(informer::close);
            informer.start().whenComplete((v, e) -> {
                if (e != null) {
                    sink.error(e);
                } else {
                    enqueue(sink, () -> {
                        try {
                            changes.snapshot(informer.getStore().list());
                        } finally {
                            listed.set(true);
                        }
                    });
                }
            });
        }, FluxSink.OverflowStrategy.LATEST);
    }

    private static void ifListed(AtomicBoolean listed, Runnable step) {
        if (listed.get()) {
            step.run();
        }
    }

    private void enqueue(FluxSink<Boolean> sink, Runnable step) {
        try {
            work.execute(() -> {
                try {
                    step.run();
                    sink.next(true);
                } catch (RuntimeException e) {
                    log.warn("cannot handle a pod change: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the agent is stopping
        }
    }
}
