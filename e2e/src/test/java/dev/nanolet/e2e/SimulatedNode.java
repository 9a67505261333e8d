package dev.nanolet.e2e;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.AssignmentSnapshot;
import dev.nanolet.wire.NodeCredential;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusBatch;
import dev.nanolet.wire.ReplicaStatusReport;
import dev.nanolet.wire.ReplicaStatusResults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node agent without a runtime, for the control-plane benchmark: it speaks the real node protocol
 * over HTTP (registers with the bootstrap token, renews its lease, watches its assignments over SSE,
 * reports Pulling → Starting → Running for each added replica — in batched mode only Running, the latest, as the
 * agent coalesces — and Terminating when asked to stop, and fetches the route table as the agent does: after
 * a snapshot and each {@code routes} event, one fetch at a time with the events meanwhile folded into the
 * next, and every {@link #ROUTES_REFRESH}),
 * and tells a {@link Recorder} when each thing happened. Many of them run in one JVM, each on a few
 * virtual threads; what happens at a pace (lease renewals, a watch's reconnection) is scheduled on the
 * node's own {@link ScheduledExecutorService}, on virtual threads too.
 */
final class SimulatedNode implements AutoCloseable {
    /** Status calls one node has open at once when it reports one by one (as the agent's ReportOutbox). */
    static final int IN_FLIGHT = 8;
    /** Reports per call when the node reports in batches. */
    static final int BATCH = 200;
    /** How long a node waits before it watches again after a watch failed. */
    private static final Duration RECONNECT = Duration.ofMillis(200);
    /** The agent's {@code routes-refresh-interval}. */
    private static final Duration ROUTES_REFRESH = Duration.ofSeconds(2);
    private static final List<ReplicaPhase> START = List.of(ReplicaPhase.Pulling, ReplicaPhase.Starting, ReplicaPhase.Running);
    private static final List<ReplicaPhase> STOP = List.of(ReplicaPhase.Terminating);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What happened on the nodes, as the benchmark measures it. */
    interface Recorder {
        void snapshot(String node);

        void added(UUID replica);

        void reported(UUID replica, ReplicaPhase phase, int status);

        void deleted(UUID replica);

        /** A batch of reports was answered {@code status} (429 or 5xx) and goes again. */
        void retried(int status);

        /** One status call (a batch or a single report) with {@code reports} reports went out. */
        void statusCall(int reports);

        /** The node fetched the route table. */
        void routeFetch();
    }

    private record Work(UUID replica, List<ReplicaPhase> phases) {}

    private final String name;
    private final String api;
    private final HttpClient http;
    private final Recorder recorder;
    private final boolean batched;
    private final BlockingQueue<Work> work = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService schedule;
    private final Set<UUID> known = ConcurrentHashMap.newKeySet();
    private final Set<UUID> stopping = ConcurrentHashMap.newKeySet();
    private final Semaphore routesWanted = new Semaphore(0);
    private volatile String lastEventId;
    private volatile boolean closed;
    private String token;

    SimulatedNode(String name, String api, HttpClient http, Recorder recorder, boolean batched) {
        this.name = name;
        this.api = api + "/api/v1";
        this.http = http;
        this.recorder = recorder;
        this.batched = batched;
        // two threads: a renewal that waits on a slow platform-api does not hold back a watch's reconnection
        this.schedule = Executors.newScheduledThreadPool(2, Thread.ofVirtual().name(name + "-schedule-", 0).factory());
    }

    /** Registers with the bootstrap token, then renews, watches and reports on virtual threads. */
    SimulatedNode start(String bootstrapToken, int capacity, Duration renewEvery) {
        var registration = new NodeRegistration(name, Map.of("bench", "true"),
                new NodeRegistration.Capacity(capacity, capacity * 64), "http://" + name + ".invalid:8181");
        HttpResponse<String> r = sendUntilAccepted(request("/nodes", bootstrapToken).POST(json(registration)));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("register " + name + " -> " + r.statusCode() + " " + r.body());
        }
        token = JSON.readValue(r.body(), NodeCredential.class).token();
        schedule.scheduleWithFixedDelay(this::renew, 0, renewEvery.toNanos(), TimeUnit.NANOSECONDS);
        spawn("watch", this::watch);
        spawn("routes", this::fetchRoutes);
        schedule.scheduleWithFixedDelay(routesWanted::release, 0, ROUTES_REFRESH.toNanos(), TimeUnit.NANOSECONDS);
        int reporters = batched ? 1 : IN_FLIGHT;
        for (int i = 0; i < reporters; i++) {
            spawn("report", batched ? this::reportBatches : this::reportOneByOne);
        }
        return this;
    }

    private void spawn(String what, Runnable body) {
        threads.add(Thread.ofVirtual().name(name + "-" + what).start(() -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                if (!closed) {
                    System.err.println(name + " " + what + " stopped: " + e);
                }
            }
        }));
    }

    /** One lease renewal; one that fails (after {@link #send}'s attempts) ends the renewals, as a dead agent's would. */
    private void renew() {
        try {
            send(request("/nodes/" + name + "/lease", token).PUT(HttpRequest.BodyPublishers.noBody()));
        } catch (RuntimeException e) {
            if (!closed) {
                System.err.println(name + " renew stopped: " + e);
            }
            throw e;
        }
    }

    /**
     * Reads the SSE stream line by line; when it ends, the watch starts again on a new thread at once, or
     * {@link #RECONNECT} later when it failed, resuming after the last event id (a fresh snapshot after a 410,
     * whose missing replicas count as deleted), as the agent does.
     */
    private void watch() {
        HttpRequest.Builder builder = request("/nodes/" + name + "/assignments?watch=true", token).timeout(Duration.ofDays(1))
                .header("Accept", "text/event-stream");
        String resume = lastEventId;
        if (resume != null) {
            builder.header("Last-Event-ID", resume);
        }
        Duration again = Duration.ZERO;
        try {
            HttpResponse<Stream<String>> response = http.send(builder.GET().build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() == 410) {
                lastEventId = null; // too old to resume: the next watch lists everything again
                throw new IOException("watch " + name + " -> 410");
            }
            if (response.statusCode() != 200) {
                throw new IOException("watch " + name + " -> " + response.statusCode());
            }
            try (Stream<String> lines = response.body()) {
                String[] event = {null, null};
                lines.forEach(line -> {
                    if (line.startsWith("event:")) {
                        event[0] = line.substring(6).trim();
                    } else if (line.startsWith("id:")) {
                        event[1] = line.substring(3).trim();
                    } else if (line.startsWith("data:")) {
                        onEvent(event[0], line.substring(5).trim());
                        if (event[1] != null) {
                            lastEventId = event[1]; // resumed from here, as the agent does
                        }
                        event[1] = null;
                    }
                });
            }
        } catch (IOException | UncheckedIOException e) {
            // a stream the server ended with an error surfaces from the lines as an UncheckedIOException:
            // reconnect as for any other failure, or the node would stop watching for good
            again = RECONNECT;
        } catch (InterruptedException e) {
            return;
        }
        if (!closed) {
            schedule.schedule(() -> spawn("watch", this::watch), again.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** One fetch at a time; what asked for one meanwhile is answered by the next. */
    private void fetchRoutes() {
        while (!closed) {
            try {
                routesWanted.acquire();
            } catch (InterruptedException e) {
                return;
            }
            routesWanted.drainPermits();
            recorder.routeFetch();
            try {
                send(request("/routes", token).GET());
            } catch (IllegalStateException e) {
                // the next event or refresh fetches again, as the agent's would
            }
        }
    }

    private void onEvent(String event, String data) {
        switch (event) {
            case "snapshot" -> {
                List<Assignment> now = JSON.readValue(data, AssignmentSnapshot.class).replicas();
                Set<UUID> listed = now.stream().map(Assignment::replicaId).collect(Collectors.toSet());
                known.stream().filter(id -> !listed.contains(id)).toList().forEach(this::gone); // deleted while not watching
                now.forEach(this::assigned);
                recorder.snapshot(name);
                routesWanted.release();
            }
            case "routes" -> routesWanted.release();
            case "added", "modified" -> assigned(JSON.readValue(data, Assignment.class));
            case "deleted" -> gone(JSON.readValue(data, Assignment.class).replicaId());
            default -> { }
        }
    }

    private void gone(UUID replica) {
        known.remove(replica);
        stopping.remove(replica);
        recorder.deleted(replica);
    }

    /**
     * Starts a replica the node did not know, stops one asked to (once); one it already runs is left alone,
     * as the agent's reconciler does when a watch that started again lists it in a fresh snapshot (before,
     * it was started a second time and its Pulling report refused with 409).
     */
    private void assigned(Assignment a) {
        boolean fresh = known.add(a.replicaId());
        if (a.terminating()) {
            if (stopping.add(a.replicaId())) {
                work.add(new Work(a.replicaId(), STOP));
            }
        } else if (fresh) {
            recorder.added(a.replicaId());
            work.add(new Work(a.replicaId(), START));
        }
    }

    private void reportOneByOne() {
        while (!closed) {
            Work w = take();
            for (ReplicaPhase phase : w.phases()) {
                recorder.statusCall(1);
                HttpResponse<String> r = send(request("/nodes/" + name + "/replicas/" + w.replica() + "/status", token)
                        .PUT(json(new ReplicaStatusReport(phase, null, null, 0))));
                recorder.reported(w.replica(), phase, r.statusCode());
            }
        }
    }

    /**
     * Takes whatever is queued (up to {@link #BATCH}) and sends it as one call with one report per replica: its
     * latest phase, as the agent's ReportOutbox coalesces the reports still pending when a batch goes out (a
     * simulated node has no runtime, so Pulling and Starting are always still pending when Running is known;
     * platform-api accepts Scheduled → Running, and anything → Terminating).
     */
    private void reportBatches() {
        while (!closed) {
            List<Work> taken = new ArrayList<>();
            taken.add(take());
            work.drainTo(taken, BATCH - 1);
            Map<UUID, ReplicaPhase> latest = new LinkedHashMap<>();
            taken.forEach(w -> latest.put(w.replica(), w.phases().getLast()));
            List<ReplicaStatusBatch.Item> items = new ArrayList<>();
            latest.forEach((replica, phase) -> items.add(new ReplicaStatusBatch.Item(replica, new ReplicaStatusReport(phase, null, null, 0))));
            recorder.statusCall(items.size());
            HttpResponse<String> r = sendUntilAccepted(request("/nodes/" + name + "/status-reports", token)
                    .POST(json(new ReplicaStatusBatch(items))));
            if (r.statusCode() != 200) {
                items.forEach(i -> recorder.reported(i.replicaId(), i.report().phase(), r.statusCode()));
                continue;
            }
            var results = JSON.readValue(r.body(), ReplicaStatusResults.class).results();
            for (int i = 0; i < items.size(); i++) {
                recorder.reported(items.get(i).replicaId(), items.get(i).report().phase(), results.get(i).status());
            }
        }
    }

    /**
     * Sends a batch again while platform-api answers 429 or 5xx (no pooled database connection within
     * its wait, say), backing off from 100 ms to 2 s, as the agent's outbox does; the other answers as they come.
     */
    private HttpResponse<String> sendUntilAccepted(HttpRequest.Builder builder) {
        Duration delay = Duration.ofMillis(100);
        while (true) {
            HttpResponse<String> r = send(builder);
            if ((r.statusCode() != 429 && r.statusCode() < 500) || closed) {
                return r;
            }
            recorder.retried(r.statusCode());
            LockSupport.parkNanos(delay.toNanos()); // the back-off of a simulated agent, not a test waiting for a condition
            delay = delay.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : delay.multipliedBy(2);
        }
    }

    private Work take() {
        try {
            return work.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("closed");
        }
    }

    private HttpRequest.Builder request(String path, String bearer) {
        return HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + bearer);
    }

    private static HttpRequest.BodyPublisher json(Object value) {
        return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(value));
    }

    /** Sends with up to three attempts on I/O errors (a loaded machine drops the odd connection). */
    private HttpResponse<String> send(HttpRequest.Builder builder) {
        HttpRequest request = builder.setHeader("Content-Type", "application/json").build();
        IOException last = null;
        for (int attempt = 0; attempt < 3 && !closed; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException(request.method() + " " + request.uri() + ": " + last);
    }

    @Override
    public void close() {
        closed = true;
        schedule.shutdownNow();
        threads.forEach(Thread::interrupt);
    }
}
