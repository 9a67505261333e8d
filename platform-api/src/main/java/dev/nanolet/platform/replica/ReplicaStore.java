package dev.nanolet.platform.replica;

import dev.nanolet.platform.spec.SpecJson;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.ReplicaPhase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one owner of the {@code replicas} table: every statement that reads or writes it is here,
 * in the caller's transaction. Its statements apply the phase rules of {@link ReplicaPhases} and,
 * for reports, the lifecycle's {@link ReplicaPhase#canMoveTo}.
 * A stored spec is parsed by {@link SpecJson} only.
 *
 * <p>Writers take the locks in the one order of docs/node-protocol.md ("Lock order"):
 * deployment, replica, node.
 */
@Component
public class ReplicaStore {
    /** {@link ReplicaPhases#FINISHED}: its node no longer runs it, it takes no capacity there. */
    private static final String FINISHED = ReplicaPhases.sqlIn("r.phase", ReplicaPhases.FINISHED);
    /** {@link ReplicaPhases#STARTED}: the node has logs of it. */
    private static final String STARTED = ReplicaPhases.sqlIn("r.phase", ReplicaPhases.STARTED);
    /** Waiting for the scheduler: never bound, not asked to stop. */
    private static final String SCHEDULABLE = "r.phase = 'Pending' AND r.node_name IS NULL AND NOT r.terminating";
    /** The scheduler's order: oldest first, those already found Unschedulable last. */
    private static final String SCHEDULING_ORDER = "r.reason IS NOT DISTINCT FROM 'Unschedulable', r.created_at, r.id";
    /** Answers requests: what the route table lists. */
    private static final String SERVING = "r.phase = 'Running' AND NOT r.terminating";

    private static final String WIRE = """
            SELECT r.id, d.namespace, d.name AS deployment, r.revision, r.node_name, r.phase, r.reason, r.message,
                   r.restarts, r.created_at, r.updated_at
            FROM replicas r JOIN deployments d ON d.id = r.deployment_id""";
    private static final String ASSIGNMENT = """
            SELECT r.id, d.namespace, d.name, r.revision, rv.module_digest, m.size, rv.spec::text AS spec, r.terminating
            FROM replicas r
            JOIN deployments d ON d.id = r.deployment_id
            JOIN revisions rv ON rv.deployment_id = r.deployment_id AND rv.revision = r.revision
            JOIN modules m ON m.digest = rv.module_digest""";

    /** A replica row as the controllers see it. */
    public record Stored(UUID id, long deploymentId, int revision, String node, ReplicaPhase phase, boolean terminating,
            Instant createdAt) {}

    /** A Pending replica the scheduler holds, with what placing it needs. */
    public record Pending(UUID id, long deploymentId, int memoryMiB, String reason, String namespace, String deployment,
            dev.nanolet.wire.DeploymentSpec spec, Instant createdAt) {}

    /** A replica a node reports on, held locked, with its deployment's names. */
    public record Reported(UUID id, String node, ReplicaPhase phase, String namespace, String deployment) {
        /** The same replica as it is after an earlier report of the same batch moved it to {@code now}. */
        Reported in(ReplicaPhase now) {
            return new Reported(id, node, now, namespace, deployment);
        }
    }

    /** What a node's bound, unfinished replicas take of it; {@code sameDeployment} counts those of one deployment. */
    public record NodeLoad(String node, String labels, int capacityInstances, int capacityMemoryMiB, int instances,
            int memoryMiB, int sameDeployment) {}

    /** {@code count} bound, unfinished replicas of a deployment on a node. */
    public record DeploymentOnNode(String node, long deploymentId, int count) {}

    /** A replica not yet finished on a node, locked; {@code http} false for a job. */
    public record Unfinished(UUID id, String namespace, String deployment, boolean http) {}

    /** One HTTP deployment and one address of a Ready node serving it (null when none does). */
    public record RouteRow(String path, String namespace, String deployment, String address) {}

    /** A started replica of a deployment, on a Ready node, and how to reach its log. */
    public record LogSource(UUID id, String address, String logsToken) {}

    /** Instances and memory of the unfinished replicas bound to a node. */
    public record Allocation(String node, int instances, int memoryMiB) {}

    private final JdbcClient jdbc;
    private final SpecJson specs;

    ReplicaStore(JdbcClient jdbc, SpecJson specs) {
        this.jdbc = jdbc;
        this.specs = specs;
    }

    // --- the deployment controller

    /** Adds {@code count} Pending replicas of a revision, in one statement (a scale-up of 1,000 is one round trip). */
    public void createPending(long deploymentId, int revision, int memoryMiB, int count) {
        if (count <= 0) {
            return;
        }
        UUID[] ids = new UUID[count];
        for (int i = 0; i < count; i++) {
            ids[i] = UUID.randomUUID();
        }
        jdbc.sql("""
                        INSERT INTO replicas (id, deployment_id, revision, phase, memory_mib)
                        SELECT id, :deployment, :revision, 'Pending', :memory FROM unnest(CAST(:ids AS uuid[])) AS n(id)""")
                .param("ids", ids).param("deployment", deploymentId).param("revision", revision).param("memory", memoryMiB)
                .update();
    }

    /** The replicas of these deployments. */
    public List<Stored> ofDeployments(Collection<Long> deploymentIds) {
        if (deploymentIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT id, deployment_id, revision, node_name, phase, terminating, created_at
                        FROM replicas r WHERE deployment_id IN (:ids)""")
                .param("ids", deploymentIds)
                .query((rs, i) -> new Stored(rs.getObject(1, UUID.class), rs.getLong(2), rs.getInt(3), rs.getString(4),
                        ReplicaPhase.valueOf(rs.getString(5)), rs.getBoolean(6), rs.getTimestamp(7).toInstant()))
                .list();
    }

    // --- the scheduler

    /**
     * Locks ({@code SKIP LOCKED}: another instance's batch is left to it) up to {@code limit}
     * replicas waiting for a node, of any deployment, oldest first — those already found
     * Unschedulable last, so that they do not hold back replicas that may fit; after
     * {@code after} in that order when given (the next page of one pass).
     */
    public List<Pending> lockSchedulable(int limit, Pending after) {
        return jdbc.sql("""
                        SELECT r.id, r.deployment_id, r.memory_mib, r.reason, d.namespace, d.name, rv.spec::text, r.created_at
                        FROM replicas r JOIN deployments d ON d.id = r.deployment_id
                        JOIN revisions rv ON rv.deployment_id = r.deployment_id AND rv.revision = r.revision
                        WHERE\s""" + SCHEDULABLE + " AND (CAST(:id AS uuid) IS NULL OR (" + SCHEDULING_ORDER + ") > (:found, :created, :id))"
                        + " ORDER BY " + SCHEDULING_ORDER + " LIMIT :limit FOR UPDATE OF r SKIP LOCKED")
                .param("id", after == null ? null : after.id())
                .param("found", after != null && "Unschedulable".equals(after.reason()))
                .param("created", after == null ? null : Timestamp.from(after.createdAt()))
                .param("limit", limit)
                .query((rs, i) -> new Pending(rs.getObject(1, UUID.class), rs.getLong(2), rs.getInt(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), specs.read(rs.getString(7)), rs.getTimestamp(8).toInstant()))
                .list();
    }

    /** Binds locked Pending replicas, each to its node, in one statement: they become Scheduled (once; the scheduler alone binds). */
    public void bind(Map<UUID, String> nodeByReplica, Instant now) {
        if (nodeByReplica.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE replicas r SET node_name = b.node, phase = 'Scheduled', reason = NULL, message = NULL,
                        scheduled_at = :now, updated_at = :now
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:nodes AS text[])) AS b(id, node) WHERE r.id = b.id""")
                .param("ids", nodeByReplica.keySet().toArray(UUID[]::new))
                .param("nodes", nodeByReplica.values().toArray(String[]::new))
                .param("now", Timestamp.from(now))
                .update();
    }

    /** How many bound, unfinished replicas of each of these deployments each node has. */
    public List<DeploymentOnNode> boundOf(Collection<Long> deploymentIds) {
        if (deploymentIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT r.node_name, r.deployment_id, count(*) FROM replicas r WHERE r.deployment_id IN (:ids)"
                        + " AND r.node_name IS NOT NULL AND NOT (" + FINISHED + ") GROUP BY r.node_name, r.deployment_id")
                .param("ids", deploymentIds)
                .query((rs, i) -> new DeploymentOnNode(rs.getString(1), rs.getLong(2), rs.getInt(3)))
                .list();
    }

    /** Records why a Pending replica fits no node. */
    public void markUnschedulable(UUID id, String why, Instant now) {
        jdbc.sql("UPDATE replicas SET reason = 'Unschedulable', message = ?, updated_at = ? WHERE id = ?")
                .params(why, Timestamp.from(now), id).update();
    }

    /** Ready nodes (lease renewed since {@code readySince}; or only {@code onlyNode}) with what their replicas take. */
    public List<NodeLoad> readyNodeLoads(long deploymentId, String onlyNode, Instant readySince) {
        return jdbc.sql("""
                        SELECT n.name, n.labels::text AS labels, n.capacity_instances, n.capacity_memory_mib,
                               count(r.id) AS instances, coalesce(sum(r.memory_mib), 0) AS memory,
                               count(r.id) FILTER (WHERE r.deployment_id = :deployment) AS same
                        FROM nodes n JOIN node_leases l ON l.node_name = n.name
                        LEFT JOIN replicas r ON r.node_name = n.name AND NOT (""" + FINISHED + """
                        )
                        WHERE l.renewed_at >= :since AND (CAST(:node AS text) IS NULL OR n.name = :node)
                        GROUP BY n.name""")
                .param("deployment", deploymentId)
                .param("since", Timestamp.from(readySince))
                .param("node", onlyNode)
                .query((rs, i) -> new NodeLoad(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                        rs.getInt(6), rs.getInt(7)))
                .list();
    }

    // --- termination

    /** Locks the replica's row and answers its node (empty when the replica is gone or unbound). */
    Optional<String> lockNodeOf(UUID id) {
        return jdbc.sql("SELECT node_name FROM replicas WHERE id = ? FOR UPDATE").param(id)
                .query((rs, i) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(n -> n);
    }

    void delete(UUID id) {
        jdbc.sql("DELETE FROM replicas WHERE id = ?").param(id).update();
    }

    /** A bound replica locked for termination: its node and whether it was already asked to stop. */
    record Bound(UUID id, String node, boolean terminating) {}

    /** Deletes those of the replicas that no node was ever given. */
    void deleteUnbound(Collection<UUID> ids) {
        jdbc.sql("DELETE FROM replicas WHERE id = ANY(CAST(:ids AS uuid[])) AND node_name IS NULL")
                .param("ids", ids.toArray(UUID[]::new)).update();
    }

    /** Locks these replicas (those that exist) in id order and answers each one's node. */
    List<Bound> lockBound(Collection<UUID> ids) {
        return jdbc.sql("SELECT id, node_name, terminating FROM replicas WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR UPDATE")
                .param("ids", ids.toArray(UUID[]::new))
                .query((rs, i) -> new Bound(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3))).list();
    }

    /** Marks {@code terminating} those of the replicas that a Ready node still runs; answers which. */
    List<UUID> askToTerminateAll(Collection<UUID> ids, Instant readySince) {
        return jdbc.sql("""
                        UPDATE replicas r SET terminating = true, updated_at = now() FROM node_leases l
                        WHERE r.id = ANY(CAST(:ids AS uuid[])) AND l.node_name = r.node_name AND l.renewed_at >= :since
                        AND NOT (""" + FINISHED + ") RETURNING r.id")
                .param("ids", ids.toArray(UUID[]::new)).param("since", Timestamp.from(readySince))
                .query(UUID.class).list();
    }

    void deleteAll(Collection<UUID> ids) {
        jdbc.sql("DELETE FROM replicas WHERE id = ANY(CAST(:ids AS uuid[]))").param("ids", ids.toArray(UUID[]::new)).update();
    }

    // --- what nodes report

    /** Locks the replica for a node's report; empty if there is none. */
    Optional<Reported> lockForReport(UUID id) {
        return jdbc.sql("""
                        SELECT r.id, r.node_name, r.phase, d.namespace, d.name
                        FROM replicas r JOIN deployments d ON d.id = r.deployment_id WHERE r.id = ? FOR UPDATE OF r""")
                .param(id)
                .query((rs, i) -> new Reported(rs.getObject(1, UUID.class), rs.getString(2), ReplicaPhase.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5)))
                .optional();
    }

    /**
     * Locks these replicas (those that exist) for a node's batch of reports, in id order as the lock
     * order asks, in one statement; by id.
     */
    Map<UUID, Reported> lockForReports(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("""
                        SELECT r.id, r.node_name, r.phase, d.namespace, d.name
                        FROM replicas r JOIN deployments d ON d.id = r.deployment_id
                        WHERE r.id = ANY(CAST(:ids AS uuid[])) ORDER BY r.id FOR UPDATE OF r""")
                .param("ids", ids.stream().sorted().distinct().toArray(UUID[]::new))
                .query((rs, i) -> new Reported(rs.getObject(1, UUID.class), rs.getString(2), ReplicaPhase.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5)))
                .stream().collect(Collectors.toMap(Reported::id, r -> r));
    }

    /** A replica's reported phase to record; {@code restarts} only when given. */
    record Move(UUID id, ReplicaPhase phase, String reason, String message, Integer restarts) {}

    /**
     * Records reported phases, each already checked against the lifecycle ({@link #requireTransition}),
     * in one statement (at most one move per replica).
     */
    void moveAll(Collection<Move> moves, Instant now) {
        if (moves.isEmpty()) {
            return;
        }
        List<Move> list = List.copyOf(moves);
        jdbc.sql("""
                        UPDATE replicas r SET phase = m.phase, reason = m.reason, message = m.message,
                        restarts = coalesce(m.restarts, r.restarts), updated_at = :now
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:phases AS text[]), CAST(:reasons AS text[]),
                                    CAST(:messages AS text[]), CAST(:restarts AS integer[])) AS m(id, phase, reason, message, restarts)
                        WHERE r.id = m.id""")
                .param("ids", list.stream().map(Move::id).toArray(UUID[]::new))
                .param("phases", list.stream().map(m -> m.phase().name()).toArray(String[]::new))
                .param("reasons", list.stream().map(Move::reason).toArray(String[]::new))
                .param("messages", list.stream().map(Move::message).toArray(String[]::new))
                .param("restarts", list.stream().map(Move::restarts).toArray(Integer[]::new))
                .param("now", Timestamp.from(now))
                .update();
    }

    /** @throws IllegalReplicaTransitionException if the lifecycle does not allow the move */
    static void requireTransition(Reported replica, ReplicaPhase next) {
        if (!replica.phase().canMoveTo(next)) {
            throw new IllegalReplicaTransitionException(replica.id(), replica.phase(), next);
        }
    }

    // --- nodes

    /**
     * What the unfinished replicas take of each of these nodes that has any: only their rows are read
     * (a lease renewal asks for one node; reading every node's replicas there cost a scan of the whole
     * table per renewal).
     */
    public List<Allocation> allocations(Collection<String> nodes) {
        if (nodes.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT node_name, count(*), coalesce(sum(memory_mib), 0) FROM replicas r"
                        + " WHERE node_name = ANY(CAST(:nodes AS text[])) AND NOT (" + FINISHED + ") GROUP BY node_name")
                .param("nodes", nodes.toArray(String[]::new))
                .query((rs, i) -> new Allocation(rs.getString(1), rs.getInt(2), rs.getInt(3))).list();
    }

    /** A deployment by namespace and name. */
    public record DeploymentName(String namespace, String name) {}

    /**
     * The deployments with a replica bound to {@code node}, in any phase (a Terminating one stays until the
     * node reports it stopped): those whose figures the node may report. One query, by the node's index.
     */
    public Set<DeploymentName> deploymentsOn(String node) {
        return Set.copyOf(jdbc.sql("""
                        SELECT DISTINCT d.namespace, d.name FROM replicas r JOIN deployments d ON d.id = r.deployment_id
                        WHERE r.node_name = ?""")
                .param(node)
                .query((rs, i) -> new DeploymentName(rs.getString(1), rs.getString(2))).list());
    }

    /** Nodes whose lease is older than {@code leaseBefore} and that still have unfinished replicas. */
    public List<String> expiredNodesWithReplicas(Instant leaseBefore) {
        return jdbc.sql("""
                        SELECT DISTINCT l.node_name FROM node_leases l JOIN replicas r ON r.node_name = l.node_name
                        WHERE l.renewed_at < ? AND NOT (""" + FINISHED + ")")
                .param(Timestamp.from(leaseBefore)).query(String.class).list();
    }

    /** Locks (in id order, before any node row) and lists the node's unfinished replicas. */
    public List<Unfinished> lockUnfinishedOn(String node) {
        return jdbc.sql("""
                        SELECT r.id, d.namespace, d.name, rv.spec::text
                        FROM replicas r JOIN deployments d ON d.id = r.deployment_id
                        JOIN revisions rv ON rv.deployment_id = r.deployment_id AND rv.revision = r.revision
                        WHERE r.node_name = ? AND NOT (""" + FINISHED + ") ORDER BY r.id FOR UPDATE OF r")
                .param(node)
                .query((rs, i) -> new Unfinished(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        specs.read(rs.getString(4)).servesHttp()))
                .list();
    }

    // --- assignments, routes, logs and the API's views

    public Optional<Assignment> assignment(UUID id) {
        return jdbc.sql(ASSIGNMENT + " WHERE r.id = ?").param(id).query(this::toAssignment).optional();
    }

    /** The assignments of these replicas (those that exist), by id. */
    public Map<UUID, Assignment> assignments(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql(ASSIGNMENT + " WHERE r.id IN (:ids)").param("ids", ids).query(this::toAssignment).stream()
                .collect(Collectors.toMap(Assignment::replicaId, a -> a));
    }

    /** Everything {@code node} must run: its unfinished replicas, oldest first. */
    public List<Assignment> assignmentsOn(String node) {
        return jdbc.sql(ASSIGNMENT + " WHERE r.node_name = ? AND NOT (" + FINISHED + ") ORDER BY r.created_at, r.id")
                .param(node).query(this::toAssignment).list();
    }

    /** Every live HTTP deployment, once per Ready node that serves it (once with a null address when none does). */
    public List<RouteRow> routes(Instant readySince) {
        return jdbc.sql("""
                        SELECT DISTINCT d.http_path AS path, d.namespace, d.name AS deployment, n.address
                        FROM deployments d
                        LEFT JOIN (replicas r JOIN node_leases l ON l.node_name = r.node_name AND l.renewed_at >= ?
                                   JOIN nodes n ON n.name = r.node_name)
                               ON r.deployment_id = d.id AND\s""" + SERVING + """

                        WHERE d.deleted_at IS NULL AND d.http_path IS NOT NULL
                        ORDER BY d.http_path, n.address""")
                .param(Timestamp.from(readySince))
                .query(RouteRow.class).list();
    }

    /** The started replicas of a deployment on Ready nodes, oldest first. */
    public List<LogSource> logSources(long deploymentId, Instant readySince) {
        return jdbc.sql("""
                        SELECT r.id, n.address, n.logs_token FROM replicas r JOIN nodes n ON n.name = r.node_name
                        JOIN node_leases l ON l.node_name = r.node_name
                        WHERE r.deployment_id = ? AND l.renewed_at >= ? AND\s""" + STARTED + " ORDER BY r.created_at")
                .params(deploymentId, Timestamp.from(readySince))
                .query((rs, i) -> new LogSource(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
                .list();
    }

    /** A deployment's replicas as the API shows them, oldest first. */
    public List<Replica> wireOfDeployment(long deploymentId) {
        return jdbc.sql(WIRE + " WHERE r.deployment_id = ? ORDER BY r.created_at, r.id").param(deploymentId)
                .query(this::toWire).list();
    }

    /** The replicas bound to a node, by namespace, deployment and age; those of deleted deployments too, until they are gone. */
    public List<Replica> wireOnNode(String node) {
        return jdbc.sql(WIRE + " WHERE r.node_name = ? ORDER BY d.namespace, d.name, r.created_at, r.id").param(node)
                .query(this::toWire).list();
    }

    private Replica toWire(ResultSet rs, int row) throws SQLException {
        return new Replica(rs.getObject("id", UUID.class), rs.getString("namespace"), rs.getString("deployment"),
                rs.getInt("revision"), rs.getString("node_name"), ReplicaPhase.valueOf(rs.getString("phase")),
                rs.getString("reason"), rs.getString("message"), rs.getInt("restarts"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private Assignment toAssignment(ResultSet rs, int row) throws SQLException {
        return new Assignment(rs.getObject("id", UUID.class), rs.getString("namespace"), rs.getString("name"),
                rs.getInt("revision"), rs.getString("module_digest"), rs.getLong("size"),
                specs.read(rs.getString("spec")), rs.getBoolean("terminating"));
    }
}
