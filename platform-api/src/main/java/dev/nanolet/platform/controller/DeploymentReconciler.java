package dev.nanolet.platform.controller;

import dev.nanolet.platform.control.ControlPass;
import dev.nanolet.platform.controller.DeploymentDiff.Action;
import dev.nanolet.platform.controller.DeploymentDiff.Create;
import dev.nanolet.platform.controller.DeploymentDiff.Desired;
import dev.nanolet.platform.controller.DeploymentDiff.Forget;
import dev.nanolet.platform.controller.DeploymentDiff.Observed;
import dev.nanolet.platform.controller.DeploymentDiff.Terminate;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.replica.Termination;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies {@link DeploymentDiff} to every deployment, each in its own transaction that holds the
 * deployment's row ({@code FOR UPDATE SKIP LOCKED}): instances share the work and never act on
 * one deployment twice at once.
 */
@Component
@Order(20)
class DeploymentReconciler implements ControlPass {
    private record Row(long id, String namespace, String name, int currentRevision, boolean deleted, String spec) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Termination termination;
    private final Events events;
    private final TransactionTemplate tx;

    DeploymentReconciler(JdbcClient jdbc, JsonMapper json, Termination termination, Events events, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.json = json;
        this.termination = termination;
        this.events = events;
        this.tx = tx;
    }

    @Override
    public void run() {
        jdbc.sql("SELECT id FROM deployments ORDER BY id").query(Long.class).list()
                .forEach(id -> tx.executeWithoutResult(s -> reconcile(id)));
    }

    private void reconcile(long id) {
        Row d = jdbc.sql("""
                        SELECT id, namespace, name, current_revision, deleted_at IS NOT NULL AS deleted, spec::text AS spec
                        FROM deployments WHERE id = ? FOR UPDATE SKIP LOCKED""")
                .param(id).query(Row.class).optional().orElse(null);
        if (d == null) {
            return;
        }
        DeploymentSpec spec = json.readValue(d.spec(), DeploymentSpec.class);
        List<Observed> replicas = jdbc.sql("""
                        SELECT id, revision, phase, terminating, node_name IS NOT NULL AS bound, created_at
                        FROM replicas WHERE deployment_id = ?""")
                .param(id)
                .query((rs, i) -> new Observed(rs.getObject(1, UUID.class), rs.getInt(2), ReplicaPhase.valueOf(rs.getString(3)),
                        rs.getBoolean(4), rs.getBoolean(5), rs.getTimestamp(6).toInstant()))
                .list();
        List<Action> actions = DeploymentDiff.diff(
                new Desired(d.currentRevision(), spec.replicas(), !spec.servesHttp(), d.deleted()), replicas);
        actions.forEach(a -> apply(d, spec, a));
        summarize(d, actions);
    }

    private void apply(Row d, DeploymentSpec spec, Action action) {
        switch (action) {
            case Create c -> {
                for (int i = 0; i < c.count(); i++) {
                    jdbc.sql("INSERT INTO replicas (id, deployment_id, revision, phase, memory_mib) VALUES (?, ?, ?, 'Pending', ?)")
                            .params(UUID.randomUUID(), d.id(), d.currentRevision(), spec.limits().memoryMiB())
                            .update();
                }
            }
            case Terminate t -> termination.terminate(t.replica());
            case Forget f -> jdbc.sql("DELETE FROM deployments WHERE id = ?").param(d.id()).update();
        }
    }

    private void summarize(Row d, List<Action> actions) {
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
