package dev.nanolet.platform.replica;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.NanoletException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.wire.ReplicaStatusBatch;
import dev.nanolet.wire.ReplicaStatusResults;
import dev.nanolet.wire.ReplicaStatusResults.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * the others. Every replica of the batch is locked first, in id order, then the node (the lock order).
 */
@RestController
class ReplicaStatusBatchApi {
    private final StatusRecorder recorder;
    private final ReplicaStore store;

    ReplicaStatusBatchApi(StatusRecorder recorder, ReplicaStore store) {
        this.recorder = recorder;
        this.store = store;
    }

    @PostMapping("/api/v1/nodes/{node}/status-reports")
    @Transactional
    ReplicaStatusResults report(@PathVariable String node, @RequestBody ReplicaStatusBatch batch) {
        if (batch.reports().size() > ReplicaStatusBatch.MAX_REPORTS) {
            throw new InvalidInputException("reports", "must have at most " + ReplicaStatusBatch.MAX_REPORTS + " entries");
        }
        store.lockInIdOrder(batch.reports().stream().map(ReplicaStatusBatch.Item::replicaId)
                .filter(Objects::nonNull).distinct().sorted().toList());
        List<Result> results = new ArrayList<>(batch.reports().size());
        for (int i = 0; i < batch.reports().size(); i++) {
            results.add(apply(node, i, batch.reports().get(i)));
        }
        return new ReplicaStatusResults(results);
    }

    private Result apply(String node, int index, ReplicaStatusBatch.Item item) {
        UUID id = item.replicaId();
        try {
            if (id == null || item.report() == null) {
                throw new InvalidInputException("reports[" + index + "]", "needs replicaId and report");
            }
            StatusRecorder.validate(item.report());
            recorder.record(node, id, item.report());
            return new Result(id, 204, null);
        } catch (NotFoundException e) {
            return failed(id, 404, e);
        } catch (ConflictException e) {
            return failed(id, 409, e);
        } catch (InvalidInputException e) {
            return failed(id, 422, e);
        }
    }

    private static Result failed(UUID id, int status, NanoletException e) {
        return new Result(id, status, e.getMessage());
    }
}
