package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.api.model.Service;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The config maps and secrets a pod's env names, read off the adapter's worker: a weighing that needs one not read yet
 * starts its read (a GET, on {@code calls}) and ends at once, pending; the read's end weighs the pod again, which then
 * takes what it read. An API server that does not answer those reads thus holds no other pod's change. What a pod's
 * weighing read is kept until a weighing of it ends that waits for no read ({@link #settle}): the next one reads anew,
 * as a pod not started yet read them on each weighing (its changes, its resync, a read retried, a full list). A read a
 * weighing needs while the same one is under way starts no other. Worker thread only, but for the reads themselves.
 */
final class PendingReads {

    private record Key(String kind, String namespace, String name) {}

    private final Map<UUID, Map<Key, CompletableFuture<Optional<Map<String, String>>>>> reads = new HashMap<>();
    private final Executor calls;

    /** @param calls where the reads run (virtual threads: a read the API server does not answer holds only its own) */
    PendingReads(Executor calls) {
        this.calls = calls;
    }

    /**
     * The lookup of one weighing of {@code pod}: its config maps and secrets from {@code blocking}, off the worker;
     * {@code again} is run (off the worker: it must only enqueue) when a read it started ends.
     */
    Weighing of(UUID pod, PodTranslation.Lookup blocking, Runnable again) {
        return new Weighing(reads.computeIfAbsent(pod, id -> new HashMap<>()), blocking, again);
    }

    /** A weighing of {@code pod} ended waiting for no read: the next reads anew. */
    void settle(UUID pod) {
        Map<Key, CompletableFuture<Optional<Map<String, String>>>> mine = reads.get(pod);
        if (mine != null) {
            mine.values().removeIf(CompletableFuture::isDone);
            if (mine.isEmpty()) {
                reads.remove(pod);
            }
        }
    }

    /** {@code pod} is gone: what it read or reads is dropped (a read under way ends unheeded). */
    void forget(UUID pod) {
        reads.remove(pod);
    }

    /** Pods with reads kept or under way. */
    int pods() {
        return reads.size();
    }

    /** One weighing's lookup: a read not done yet ends the weighing ({@link #pending}). */
    final class Weighing implements PodTranslation.Lookup {

        private final Map<Key, CompletableFuture<Optional<Map<String, String>>>> mine;
        private final PodTranslation.Lookup blocking;
        private final Runnable again;
        private boolean pending;

        private Weighing(Map<Key, CompletableFuture<Optional<Map<String, String>>>> mine, PodTranslation.Lookup blocking, Runnable again) {
            this.mine = mine;
            this.blocking = blocking;
            this.again = again;
        }

        /** Whether the weighing ended on a read under way: the pod is weighed again once it ends, and told nothing now. */
        boolean pending() {
            return pending;
        }

        @Override
        public Optional<Map<String, String>> configMap(String namespace, String name) {
            return read(new Key("configmap", namespace, name), () -> blocking.configMap(namespace, name));
        }

        @Override
        public Optional<Map<String, String>> secret(String namespace, String name) {
            return read(new Key("secret", namespace, name), () -> blocking.secret(namespace, name));
        }

        @Override
        public List<Service> services(String namespace) {
            return blocking.services(namespace);
        }

        @Override
        public Optional<Service> service(String namespace, String name) {
            return blocking.service(namespace, name);
        }

        private Optional<Map<String, String>> read(Key key, Supplier<Optional<Map<String, String>>> get) {
            CompletableFuture<Optional<Map<String, String>>> read = mine.get(key);
            if (read == null) {
                try {
                    read = CompletableFuture.supplyAsync(get, calls);
                } catch (RejectedExecutionException stopping) {
                    pending = true;
                    throw ClusterConfig.unread(key.kind() + " \"" + Excerpt.of(key.name()) + "\"", "the node agent is stopping");
                }
                mine.put(key, read);
                if (!read.isDone()) { // read at once (tests' direct executor): this weighing takes it
                    read.whenComplete((v, e) -> again.run());
                }
            }
            if (!read.isDone()) {
                pending = true;
                throw ClusterConfig.unread(key.kind() + " \"" + Excerpt.of(key.name()) + "\"", "reading");
            }
            try {
                return read.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }
}
