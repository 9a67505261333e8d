package dev.nanolet.platform.replica;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.NanoletException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.wire.ReplicaStatusBatch;
import dev.nanolet.wire.ReplicaStatusResults;
import dev.nanolet.wire.ReplicaStatusResults.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Many status reports of one node in one call and one transaction: what a node sends when fifty
 * replicas start at once. Each report is applied as {@code PUT …/replicas/{id}/status} would apply
 * it and gets that call's status in the answer; a refused report changes nothing and does not stop
 * the others. A malformed report is refused here; the rest are applied by {@link StatusRecorder#recordAll}
 * with a few statements for the whole batch (every replica locked first, in id order, then the node).
 */
@RestController
class ReplicaStatusBatchApi {
    private final StatusRecorder recorder;

    ReplicaStatusBatchApi(StatusRecorder recorder) {
        this.recorder = recorder;
    }

    @PostMapping("/api/v1/nodes/{node}/status-reports")
    @Transactional
    ReplicaStatusResults report(@PathVariable String node, @RequestBody ReplicaStatusBatch batch) {
        if (batch.reports().size() > ReplicaStatusBatch.MAX_REPORTS) {
            throw new InvalidInputException("reports", "must have at most " + ReplicaStatusBatch.MAX_REPORTS + " entries");
        }
        Result[] results = new Result[batch.reports().size()];
        List<Integer> valid = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            ReplicaStatusBatch.Item item = batch.reports().get(i);
            try {
                if (item.replicaId() == null || item.report() == null) {
                    throw new InvalidInputException("reports[" + i + "]", "needs replicaId and report");
                }
                StatusRecorder.validate(item.report());
                valid.add(i);
            } catch (InvalidInputException e) {
                results[i] = failed(item.replicaId(), 422, e);
            }
        }
        List<Optional<NanoletException>> outcomes = recorder.recordAll(node, valid.stream()
                .map(i -> new StatusRecorder.Report(batch.reports().get(i).replicaId(), batch.reports().get(i).report())).toList());
        for (int k = 0; k < valid.size(); k++) {
            UUID id = batch.reports().get(valid.get(k)).replicaId();
            results[valid.get(k)] = outcomes.get(k).map(e -> failed(id, e instanceof NotFoundException ? 404 : 409, e))
                    .orElseGet(() -> new Result(id, 204, null));
        }
        return new ReplicaStatusResults(List.of(results));
    }

    private static Result failed(UUID id, int status, NanoletException e) {
        return new Result(id, status, e.getMessage());
    }
}
