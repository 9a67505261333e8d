package dev.nanolet.platform.node;

import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.metrics.MetricSamples;
import dev.nanolet.platform.replica.ReplicaRepository;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.Replica;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Registration, lease renewal and the admin's view of nodes and what runs on them. */
@RestController
@RequestMapping("/api/v1/nodes")
class NodeApi {
    private final NodeRepository nodes;
    private final NodeViews views;
    private final ReplicaRepository replicas;
    private final MetricSamples samples;
    private final Events events;
    private final JsonMapper json;
    private final Clock clock;

    NodeApi(NodeRepository nodes, NodeViews views, ReplicaRepository replicas, MetricSamples samples, Events events, JsonMapper json, Clock clock) {
        this.nodes = nodes;
        this.views = views;
        this.replicas = replicas;
        this.samples = samples;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** Registers a node, or re-registers one with what it says now (201 when new, 200 otherwise). */
    @PostMapping
    @Transactional
    ResponseEntity<NodeInfo> register(@RequestBody NodeRegistration registration) {
        NodeRegistrationRules.check(registration);
        Instant now = clock.instant();
        NodeEntity node = nodes.findById(registration.name()).orElse(null);
        boolean created = node == null;
        if (created) {
            node = new NodeEntity(registration.name(), now);
        }
        node.register(json.writeValueAsString(registration.labels()), registration.capacity().instances(),
                registration.capacity().memoryMiB(), registration.address(), now);
        nodes.saveAndFlush(node);
        events.normal("node/" + node.getName(), null, null, node.getName(), created ? "Registered" : "Reregistered",
                "node " + node.getName() + " at " + node.getAddress());
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(views.info(node));
    }

    /** Renews the lease; the body, when present, carries the node's usage figures. */
    @PutMapping("/{name}/lease")
    @Transactional
    NodeInfo renew(@PathVariable String name, @RequestBody(required = false) NodeUsage usage) {
        NodeEntity node = find(name);
        Instant now = clock.instant();
        node.renewLease(usage == null ? null : json.writeValueAsString(usage), now);
        nodes.flush();
        if (usage != null) {
            samples.record(name, usage, now);
        }
        return views.info(node);
    }

    @GetMapping
    @Transactional(readOnly = true)
    List<NodeInfo> list() {
        return views.infos(nodes.findAll(Sort.by("name")));
    }

    @GetMapping("/{name}")
    @Transactional(readOnly = true)
    NodeInfo get(@PathVariable String name) {
        return views.info(find(name));
    }

    /** What runs on the node (admin only: a node learns its own replicas from its assignments). */
    @GetMapping("/{name}/replicas")
    @Transactional(readOnly = true)
    List<Replica> replicas(@PathVariable String name) {
        return replicas.findWireOnNode(find(name).getName());
    }

    private NodeEntity find(String name) {
        return nodes.findById(name).orElseThrow(() -> new NotFoundException("node " + name + " is not registered"));
    }
}
