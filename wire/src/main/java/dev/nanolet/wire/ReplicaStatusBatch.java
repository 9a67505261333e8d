package dev.nanolet.wire;

import java.util.List;
import java.util.UUID;

/**
 * What a node sends to {@code POST /api/v1/nodes/{node}/status-reports}: several replicas' status
 * reports in one call (at most {@link #MAX_REPORTS}), applied in order; each gets its own result.
 */
public record ReplicaStatusBatch(List<Item> reports) {
    /** The most reports one call may carry. */
    public static final int MAX_REPORTS = 500;

    public ReplicaStatusBatch {
        reports = Collections2.list(reports);
    }

    /** One replica's report, as {@code PUT …/replicas/{id}/status} would carry it. */
    public record Item(UUID replicaId, ReplicaStatusReport report) {}
}
