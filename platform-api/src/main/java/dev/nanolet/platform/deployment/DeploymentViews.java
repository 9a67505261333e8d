package dev.nanolet.platform.deployment;

import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.platform.spec.SpecJson;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Turns deployment rows into the wire {@link Deployment}, status computed from their replica rows. */
@Component
class DeploymentViews {
    private final ReplicaStore replicas;
    private final RevisionRepository revisions;
    private final SpecJson specJson;
    private final Clock clock;

    DeploymentViews(ReplicaStore replicas, RevisionRepository revisions, SpecJson specJson, Clock clock) {
        this.replicas = replicas;
        this.revisions = revisions;
        this.specJson = specJson;
        this.clock = clock;
    }

    Deployment toWire(DeploymentEntity d) {
        return toWire(List.of(d)).getFirst();
    }

    /** Several at once, with one query for their replicas and one for their revisions. */
    List<Deployment> toWire(List<DeploymentEntity> deployments) {
        List<Long> ids = deployments.stream().map(DeploymentEntity::getId).toList();
        Map<Long, List<ReplicaStore.Stored>> replicasOf = replicas.ofDeployments(ids).stream()
                .collect(Collectors.groupingBy(ReplicaStore.Stored::deploymentId));
        Map<Long, Map<Integer, Long>> generationsOf = revisions.findAllOf(ids).stream()
                .collect(Collectors.groupingBy(RevisionEntity::getDeploymentId,
                        Collectors.toMap(RevisionEntity::getRevision, RevisionEntity::getGeneration)));
        Instant now = clock.instant();
        return deployments.stream().map(d -> {
            DeploymentSpec spec = specJson.read(d.getSpec());
            var desired = new StatusCalculator.Desired(spec, d.getGeneration(), d.getCurrentRevision(),
                    generationsOf.getOrDefault(d.getId(), Map.of()), d.getUpdatedAt());
            var observed = replicasOf.getOrDefault(d.getId(), List.of()).stream()
                    .map(r -> new StatusCalculator.Observed(r.revision(), r.phase(), r.node()))
                    .toList();
            return new Deployment(d.getNamespace(), d.getName(), d.getGeneration(), d.getCurrentRevision(), spec,
                    StatusCalculator.compute(desired, observed, now), d.getCreatedAt(), d.getUpdatedAt(),
                    specJson.readLabels(d.getLabels()), d.getResourceVersion());
        }).toList();
    }
}
