package dev.nanolet.platform.replication;

import dev.nanolet.platform.control.Changes;
import dev.nanolet.platform.control.ControlPass;
import dev.nanolet.platform.replication.DeploymentDiff.Action;
import dev.nanolet.platform.replication.DeploymentDiff.Create;
import dev.nanolet.platform.replication.DeploymentDiff.Desired;
import dev.nanolet.platform.replication.DeploymentDiff.Forget;
import dev.nanolet.platform.replication.DeploymentDiff.Observed;
import dev.nanolet.platform.replication.DeploymentDiff.Terminate;
import dev.nanolet.platform.deployment.DesiredDeployments;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.platform.replica.Termination;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies {@link DeploymentDiff} to the deployments that changed ({@link Changes}: those named by
 * the wake-ups since the last round, every deployment on the periodic round), each in its own
 * transaction that holds the deployment's row ({@code FOR UPDATE SKIP LOCKED}): instances share the
 * work and never act on one deployment twice at once. Skipping a deployment another instance holds
 * loses nothing: that instance heard the same wake-up and takes the deployment again in its next round
 * if the change came after its read.
 */
@Component
@Order(ControlPass.DEPLOYMENTS)
class DeploymentReconciler implements ControlPass {
    private final DesiredDeployments deployments;
    private final ReplicaStore replicas;
    private final Termination termination;
    private final Events events;
    private final TransactionTemplate tx;

    DeploymentReconciler(DesiredDeployments deployments, ReplicaStore replicas, Termination termination, Events events,
            TransactionTemplate tx) {
        this.deployments = deployments;
        this.replicas = replicas;
        this.termination = termination;
        this.events = events;
        this.tx = tx;
    }

    @Override
    public void run(Changes changes) {
        List<Long> ids = changes.all() ? deployments.ids() : changes.deployments().stream().sorted().toList();
        ids.forEach(id -> tx.executeWithoutResult(s -> deployments.lock(id).ifPresent(this::reconcile)));
    }

    private void reconcile(DesiredDeployments.Desired d) {
        List<Observed> observed = replicas.ofDeployments(List.of(d.id())).stream()
                .map(r -> new Observed(r.id(), r.revision(), r.phase(), r.terminating(), r.node() != null, r.createdAt()))
                .toList();
        List<Action> actions = DeploymentDiff.diff(
                new Desired(d.currentRevision(), d.spec().replicas(), !d.spec().servesHttp(), d.deleted()), observed);
        termination.terminateAll(actions.stream().filter(Terminate.class::isInstance).map(Terminate.class::cast)
                .map(Terminate::replica).toList());
        actions.forEach(a -> apply(d, a));
        summarize(d, actions);
    }

    /** Creates and forgets; the terminations of one diff were applied together, in one batch. */
    private void apply(DesiredDeployments.Desired d, Action action) {
        switch (action) {
            case Create c -> replicas.createPending(d.id(), d.currentRevision(), d.spec().limits().memoryMiB(), c.count());
            case Terminate t -> { }
            case Forget f -> deployments.forget(d.id());
        }
    }

    private void summarize(DesiredDeployments.Desired d, List<Action> actions) {
        String object = "deployment/" + d.namespace() + "/" + d.name();
        actions.stream().filter(Create.class::isInstance).map(Create.class::cast).forEach(c ->
                events.normal(object, d.namespace(), d.name(), null, "ReplicasCreated",
                        "created " + c.count() + " replicas of revision " + d.currentRevision()));
        Map<String, Long> terminated = actions.stream().filter(Terminate.class::isInstance).map(Terminate.class::cast)
                .collect(Collectors.groupingBy(Terminate::reason, Collectors.counting()));
        terminated.forEach((reason, count) -> events.normal(object, d.namespace(), d.name(), null, "ReplicasTerminating",
                "terminating " + count + " replicas (" + reason + ")"));
    }
}
