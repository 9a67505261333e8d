package dev.nanolet.platform.assignment;

import dev.nanolet.platform.CredentialEndedException;
import dev.nanolet.platform.GoneException;
import dev.nanolet.platform.node.NodeProperties;
import dev.nanolet.platform.node.RegisteredNodes;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.platform.web.CredentialChecks;
import dev.nanolet.platform.web.EventStreams;
import dev.nanolet.wire.AssignmentSnapshot;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.OptionalLong;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /api/v1/nodes/{name}/assignments[?watch=true]}: what a node must run. */
@RestController
@RequestMapping("/api/v1/nodes/{node}/assignments")
class AssignmentApi {
    private final AssignmentQueries queries;
    private final SecretDelivery delivery;
    private final WatchSignals signals;
    private final RegisteredNodes nodes;
    private final WatchEpoch epoch;
    private final Duration heartbeat;
    private final int maxWatches;
    private final RouteSignals routes;
    private final CredentialChecks credentials;

    AssignmentApi(AssignmentQueries queries, SecretDelivery delivery, WatchSignals signals, RegisteredNodes nodes, WatchEpoch epoch,
            NodeProperties properties, RouteSignals routes, CredentialChecks credentials) {
        this.queries = queries;
        this.delivery = delivery;
        this.signals = signals;
        this.nodes = nodes;
        this.epoch = epoch;
        this.heartbeat = properties.watchHeartbeat();
        this.maxWatches = properties.maxWatchesPerNode();
        this.routes = routes;
        this.credentials = credentials;
    }

    /**
     * Secret values are filled in only for the node's own credential (an admin or viewer sees the assignments without them),
     * and only once the database says, after the read, that the credential still names the node: the filter let it in on a
     * lookup up to a second old, and a credential revoked in that second (the node deleted, its name registered again) would
     * read the next holder's assignments, as a watch's snapshot did before it asked the same (401).
     */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    AssignmentSnapshot snapshot(@PathVariable String node, HttpServletRequest request) {
        nodes.require(node);
        AssignmentSnapshot snapshot = queries.snapshot(node);
        if (!ownNode(request, node)) {
            return snapshot;
        }
        if (!credentials.stillValid(request).getAsBoolean()) {
            throw new CredentialEndedException("this credential no longer names node " + node
                    + ": it was revoked (the node deleted); register the node again");
        }
        return delivery.withSecrets(snapshot);
    }

    /**
     * The watch. A {@code Last-Event-ID} of another epoch (another database), garbage, or older
     * than the kept changes is 410 Gone: the node must list again (reconnect without it).
     */
    @GetMapping(params = "watch=true", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.ALL_VALUE})
    SseEmitter watch(@PathVariable String node, @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            HttpServletRequest request, HttpServletResponse response) {
        nodes.require(node);
        boolean withSecrets = ownNode(request, node);
        String epoch = this.epoch.current();
        OptionalLong resume = OptionalLong.empty();
        if (lastEventId != null && !lastEventId.isBlank()) {
            resume = WatchEpoch.versionOf(lastEventId.trim(), epoch);
            if (resume.isEmpty() || !queries.canResumeFrom(resume.getAsLong())) {
                throw new GoneException("resource version " + abbreviate(lastEventId)
                        + " is unknown or too old here; watch again without Last-Event-ID to get a fresh snapshot");
            }
        }
        WatchSignal signal = signals.register(node, maxWatches);
        SseEmitter emitter = EventStreams.open(response);
        try {
            Thread.ofVirtual().name("watch-" + node).start(
                    new WatchStream(node, epoch, resume, signal, emitter, queries, withSecrets ? delivery : null, signals, heartbeat, routes,
                            credentials.stillValid(request)));
        } catch (RuntimeException e) {
            signals.unregister(node, signal);
            throw e;
        }
        return emitter;
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    private static boolean ownNode(HttpServletRequest request, String node) {
        return Caller.of(request) instanceof Caller.Node caller && caller.name().equals(node);
    }

}
