package dev.nanolet.platform.node;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.ForbiddenException;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.metrics.MetricSamples;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.NodeAddress;
import dev.nanolet.wire.NodeCredential;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.NodeLabels;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.Replica;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registration (bootstrap token: once per name, answering the node's own credential; the node's
 * credential: its labels and capacity again), lease renewal, and the admin's view and actions:
 * delete (revokes the credential), change of address and the restricted labels
 * ({@link RestrictedLabels}), which no node sets. An answer that shows one node carries its
 * {@code ETag} (its resource version); the admin's changes may be conditional ({@link Precondition}).
 */
@RestController
@RequestMapping("/api/v1/nodes")
class NodeApi {
    private static final Logger log = LoggerFactory.getLogger(NodeApi.class);
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
    private final NodeRepository nodes;
    private final NodeLeases leases;
    private final RegisteredNodes registered;
    private final NodeViews views;
    private final NodeCredentials credentials;
    private final NodeReplicas nodeReplicas;
    private final ReplicaStore replicas;
    private final MetricSamples samples;
    private final Events events;
    private final NodeCapacityLimits limits;
    private final JsonMapper json;
    private final Clock clock;

    NodeApi(NodeRepository nodes, NodeLeases leases, RegisteredNodes registered, NodeViews views, NodeCredentials credentials, NodeReplicas nodeReplicas,
            ReplicaStore replicas, MetricSamples samples, Events events, NodeCapacityLimits limits, JsonMapper json, Clock clock) {
        this.nodes = nodes;
        this.leases = leases;
        this.registered = registered;
        this.views = views;
        this.credentials = credentials;
        this.nodeReplicas = nodeReplicas;
        this.replicas = replicas;
        this.samples = samples;
        this.events = events;
        this.limits = limits;
        this.json = json;
        this.clock = clock;
    }

    /**
     * With the bootstrap (or admin) token: registers a new node and answers 201 with its credential
     * (the one in the body, else a new one); the same credential again for the same name — a retry
     * whose answer was lost — answers 200 with it; another one is 409 (the name is held). With the
     * node's own credential: records its labels and capacity again (200); its address changes only
     * through the admin. Either way a label under the restricted prefix is 403: only the admin sets those.
     */
    @PostMapping
    @Transactional
    ResponseEntity<?> register(@RequestBody NodeRegistration registration, HttpServletRequest request) {
        String address = NodeRegistrationRules.check(registration, limits);
        RestrictedLabels.refuseFromNode(registration.name(), registration.labels());
        Instant now = clock.instant();
        if (Caller.of(request) instanceof Caller.Node self) {
            if (!self.name().equals(registration.name())) {
                throw new ForbiddenException("node " + self.name() + " may only register itself");
            }
            NodeEntity node = registered.findLocked(self.name());
            reregister(node, registration, address, now);
            return ResponseEntity.ok(views.info(node));
        }
        NodeEntity node = nodes.findLocked(registration.name()).orElse(null);
        if (node != null && registration.credential() != null && node.holds(NodeCredentials.sha256(registration.credential()))) {
            // a retry of a registration whose answer was lost: the same answer again
            reregister(node, registration, address, now);
            return ResponseEntity.ok(new NodeCredential(node.getName(), registration.credential(), node.getLogsToken(), views.info(node)));
        }
        if (node != null && node.hasCredential()) {
            throw new ConflictException("node " + node.getName() + " is already registered; if it lost its credential, an admin"
                    + " deletes it (DELETE /api/v1/nodes/" + node.getName() + ") and it registers again");
        }
        boolean claimed = node != null;
        if (claimed) {
            dropRestricted(node);
        } else {
            node = new NodeEntity(registration.name(), now);
        }
        String token = registration.credential() != null ? registration.credential() : credentials.newCredential();
        String logsToken = credentials.newSecret();
        node.issue(NodeCredentials.sha256(token), logsToken);
        try {
            node = record(node, registration, address, now);
        } catch (DataIntegrityViolationException e) {
            throw new ConflictException("node " + registration.name() + " is already registered");
        }
        events.normal("node/" + node.getName(), null, null, node.getName(), "Registered",
                "node " + node.getName() + " at " + node.getAddress() + (claimed ? " (credential issued to a node registered before credentials)" : ""));
        return ResponseEntity.status(HttpStatus.CREATED).body(new NodeCredential(node.getName(), token, logsToken, views.info(node)));
    }

    /**
     * A node registered before credentials is claimed by whoever holds the bootstrap token, so the
     * admin's labels on it, given to the node it was, are not handed to the claimant: the admin sets them again.
     */
    private void dropRestricted(NodeEntity node) {
        Map<String, String> stored = labelsOf(node);
        List<String> dropped = NodeRegistration.restricted(stored);
        if (!dropped.isEmpty()) {
            node.relabel(json.writeValueAsString(RestrictedLabels.withAdmins(stored, Map.of())));
            events.warning("node/" + node.getName(), null, null, node.getName(), "RestrictedLabelsDropped",
                    "node " + node.getName() + " was claimed with the bootstrap token, so its restricted labels " + dropped
                            + " were dropped; if the new holder is trusted, an admin sets them again (PUT /api/v1/nodes/"
                            + node.getName() + "/labels)");
        }
    }

    /** The node registers again (its own credential, or a retry with it): labels and capacity anew, its address as on record. */
    private void reregister(NodeEntity node, NodeRegistration registration, String address, Instant now) {
        if (!node.getAddress().equals(address)) {
            throw new ConflictException("node " + node.getName() + " is at " + node.getAddress()
                    + "; only an admin can change its address (PUT /api/v1/nodes/" + node.getName() + "/address)");
        }
        record(node, registration, address, now);
        events.normal("node/" + node.getName(), null, null, node.getName(), "Reregistered",
                "node " + node.getName() + " at " + node.getAddress());
    }

    /**
     * What the node says, with the admin's restricted labels kept (a new node has none); answers the
     * stored node (a new one is a copy of {@code node}, holding the resource version the database gave it).
     */
    private NodeEntity record(NodeEntity node, NodeRegistration registration, String address, Instant now) {
        Map<String, String> labels = RestrictedLabels.withNodes(labelsOf(node), registration.labels());
        node.register(json.writeValueAsString(labels), registration.capacity().instances(),
                registration.capacity().memoryMiB(), address);
        NodeEntity stored = nodes.saveAndFlush(node);
        leases.registered(node.getName(), now);
        return stored;
    }

    private Map<String, String> labelsOf(NodeEntity node) {
        return json.readValue(node.getLabels(), LABELS);
    }

    /**
     * Renews the lease; the body, when present, carries the node's usage figures, of which only
     * those of deployments with a replica bound to the node are kept ({@link OwnUsage}; the rest is
     * dropped and logged, the renewal still succeeds). Writes the node's {@code node_leases} row
     * only, never its {@code nodes} row: the control plane's locks on that one must not delay a
     * renewal (a late renewal makes a healthy node NotReady).
     */
    @PutMapping("/{name}/lease")
    @Transactional
    NodeInfo renew(@PathVariable String name, @RequestBody(required = false) NodeUsage reported) {
        NodeUsage usage = null;
        if (reported != null) {
            NodeRegistrationRules.check(reported);
            OwnUsage own = OwnUsage.of(reported, replicas.deploymentsOn(name));
            if (own.dropped() > 0) {
                log.info("node {} reported {} usage rows of deployments it runs no replica of (or repeated); dropped", name, own.dropped());
            }
            usage = own.usage();
        }
        Instant now = clock.instant();
        if (!leases.renew(name, usage == null ? null : json.writeValueAsString(usage), now)) {
            throw RegisteredNodes.notRegistered(name);
        }
        if (usage != null) {
            samples.record(name, usage, now);
        }
        return views.info(registered.find(name));
    }

    /** The admin moves a node: the only way its address changes. With {@code If-Match}, only from the version it names. */
    @PutMapping("/{name}/address")
    @Transactional
    NodeInfo move(@PathVariable String name, @RequestBody NodeAddress body, Precondition precondition) {
        String address = NodeRegistrationRules.checkAddress(body == null ? null : body.address());
        NodeEntity node = lock(name, precondition);
        String before = node.getAddress();
        node.moveTo(address);
        nodes.flush();
        events.normal("node/" + name, null, null, name, "AddressChanged", "node " + name + " moved from " + before + " to " + address);
        return views.info(node);
    }

    /**
     * The admin sets the node's restricted labels, all of them (what deployments select to stay on
     * trusted nodes); the node's own labels are kept. Every key must be under the restricted prefix;
     * a body without {@code labels} is 422 ({@code {"labels":{}}} removes them all). With {@code If-Match},
     * only from the version it names.
     */
    @PutMapping("/{name}/labels")
    @Transactional
    NodeInfo relabel(@PathVariable String name, @RequestBody NodeLabels body, Precondition precondition) {
        Map<String, String> restricted = body == null ? null : body.labels();
        NodeRegistrationRules.checkRestricted(restricted);
        NodeEntity node = lock(name, precondition);
        node.relabel(json.writeValueAsString(RestrictedLabels.withAdmins(labelsOf(node), restricted)));
        nodes.flush();
        events.normal("node/" + name, null, null, name, "Relabeled", "an admin set the restricted labels of node " + name + " to " + restricted);
        return views.info(node);
    }

    /**
     * The node, its row locked, once {@code precondition} holds for it: 404 when it is not registered,
     * then 412 when the admin's {@code If-Match} names another version (another change came first).
     */
    private NodeEntity lock(String name, Precondition precondition) {
        NodeEntity node = registered.findLocked(name);
        precondition.check("node " + name, Optional.of(node.getResourceVersion()));
        return node;
    }

    /**
     * The admin deletes a node: its credential is revoked, its unfinished replicas are removed
     * (the controller replaces them elsewhere) and the name is free to register again. With
     * {@code If-Match}, only at the version it names.
     */
    @DeleteMapping("/{name}")
    @Transactional
    ResponseEntity<Void> delete(@PathVariable String name, Precondition precondition) {
        var running = nodeReplicas.lockRunning(name);
        NodeEntity node = lock(name, precondition);
        nodeReplicas.remove(name, running, "NodeDeleted", "node " + name + " was deleted; the replica will be scheduled elsewhere");
        nodes.delete(node);
        nodes.flush();
        events.warning("node/" + name, null, null, name, "NodeDeleted",
                "an admin deleted node " + name + " and revoked its credential; " + running.size() + " replicas removed");
        return ResponseEntity.noContent().build();
    }

    @GetMapping
    @Transactional(readOnly = true)
    List<NodeInfo> list() {
        return views.infos(nodes.findAll(Sort.by("name")));
    }

    @GetMapping("/{name}")
    @Transactional(readOnly = true)
    NodeInfo get(@PathVariable String name) {
        return views.info(registered.find(name));
    }

    /** What runs on the node (admin only: a node learns its own replicas from its assignments). */
    @GetMapping("/{name}/replicas")
    @Transactional(readOnly = true)
    List<Replica> replicas(@PathVariable String name) {
        return replicas.wireOnNode(registered.find(name).getName());
    }

}
