package dev.nanolet.agent.control;

import dev.nanolet.wire.ReplicaStatusBatch;
import dev.nanolet.wire.ReplicaStatusReport;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Gathers the status reports that replicas' senders in the {@link ReportOutbox} have ready and sends
 * them as one call ({@link ControlPlane#statuses}): while one batch is on its way the next ones
 * collect, so a burst (hundreds of replicas starting) costs a few calls, and a lone report goes out
 * at once, without waiting for company. At most {@link ReplicaStatusBatch#MAX_REPORTS} per call, one
 * call open at a time. Each sender waits for its own report's outcome, so a replica's reports stay
 * in order. A sender hands over how to get its report rather than the report itself: it is read
 * when its batch goes out, so the latest report still pending for that replica goes (see
 * {@link ReportOutbox}).
 */
final class StatusBatches {
    /** What became of one report. */
    enum Outcome { APPLIED, REFUSED }

    /** The report that went for a replica, and what became of it. */
    record Sent(ReplicaStatusReport report, Outcome outcome) {}

    private record Pending(UUID replica, Supplier<ReplicaStatusReport> report, CompletableFuture<Sent> outcome) {}

    private final ControlPlane upstream;
    private final List<Pending> waiting = new ArrayList<>();
    private boolean sending;

    StatusBatches(ControlPlane upstream) {
        this.upstream = upstream;
    }

    /**
     * Sends the report {@code latest} gives when the batch goes out, with whatever else is ready, and
     * waits for its outcome.
     *
     * @throws RuntimeException the call failed as a whole (retry later)
     */
    Sent send(UUID replica, Supplier<ReplicaStatusReport> latest) throws InterruptedException {
        Pending mine = new Pending(replica, latest, new CompletableFuture<>());
        boolean leader;
        synchronized (this) {
            waiting.add(mine);
            leader = !sending;
            sending = true;
        }
        if (leader) {
            sendAll();
        }
        try {
            return mine.outcome().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Run by the sender that found no call open: sends batches until nothing waits. */
    private void sendAll() {
        while (true) {
            List<Pending> batch;
            synchronized (this) {
                if (waiting.isEmpty()) {
                    sending = false;
                    return;
                }
                List<Pending> head = waiting.subList(0, Math.min(waiting.size(), ReplicaStatusBatch.MAX_REPORTS));
                batch = List.copyOf(head);
                head.clear();
            }
            try {
                List<ReplicaStatusBatch.Item> items = batch.stream().map(p -> new ReplicaStatusBatch.Item(p.replica(), p.report().get())).toList();
                List<Boolean> applied = upstream.statuses(items).block();
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).outcome().complete(new Sent(items.get(i).report(), applied != null && i < applied.size() && applied.get(i)
                            ? Outcome.APPLIED : Outcome.REFUSED));
                }
            } catch (RuntimeException e) {
                batch.forEach(p -> p.outcome().completeExceptionally(e));
            }
        }
    }
}
