package dev.nanolet.wire;

import java.util.List;
import java.util.UUID;

/**
 * What {@code POST /api/v1/nodes/{node}/status-reports} answers: one result per report, in the
 * order sent. {@code status} is what {@code PUT …/replicas/{id}/status} would have answered for it
 * (204 applied; 404 unknown replica; 409 illegal transition or another node's replica; 422 invalid
 * report), {@code detail} says why when it is not 204.
 */
public record ReplicaStatusResults(List<Result> results) {
    public ReplicaStatusResults {
        results = Collections2.list(results);
    }

    /** The outcome of one report. */
    public record Result(UUID replicaId, int status, String detail) {}
}
