package dev.nanolet.platform.logs;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.deployment.DeploymentQueries;
import dev.nanolet.platform.node.NodeProperties;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.platform.web.ApiLimits;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.platform.web.CredentialChecks;
import dev.nanolet.platform.web.EventStreams;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/namespaces/{ns}/deployments/{name}/logs?tail=N&follow=…}: the logs of every
 * replica of the deployment that a Ready node has started, merged from the nodes' own log
 * endpoints (see {@link NodeLogClient}) into one event stream of LogLine JSON. A credential holds at most
 * {@code nanolet.api.max-log-follows-per-token} follows open on an instance ({@link LogFollows}); one more is 429. A read
 * without follow waits at most {@code nanolet.api.log-tail-time} for the nodes' tails.
 */
@RestController
class LogsApi {
    private final ReplicaStore replicas;
    private final DeploymentQueries deployments;
    private final NodeLogClient client;
    private final NodeProperties nodes;
    private final Clock clock;
    private final CredentialChecks credentials;
    private final LogFollows follows;
    private final ApiLimits limits;

    LogsApi(ReplicaStore replicas, DeploymentQueries deployments, NodeLogClient client, NodeProperties nodes, Clock clock,
            CredentialChecks credentials, LogFollows follows, ApiLimits limits) {
        this.replicas = replicas;
        this.deployments = deployments;
        this.client = client;
        this.nodes = nodes;
        this.clock = clock;
        this.credentials = credentials;
        this.follows = follows;
        this.limits = limits;
    }

    @GetMapping(path = "/api/v1/namespaces/{namespace}/deployments/{name}/logs",
            produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.ALL_VALUE})
    SseEmitter logs(@PathVariable String namespace, @PathVariable String name,
            @RequestParam(defaultValue = "100") int tail, @RequestParam(defaultValue = "false") boolean follow,
            HttpServletRequest request, HttpServletResponse response) {
        if (tail < 0 || tail > 10_000) {
            throw new InvalidInputException("tail", "must be between 0 and 10000");
        }
        long deployment = deployments.liveId(namespace, name);
        List<LogMerge.Source> sources = replicas.logSources(deployment, nodes.readySince(clock)).stream()
                .map(s -> new LogMerge.Source(s.id(), s.address(), s.logsToken())).toList();
        if (!follow) {
            SseEmitter emitter = EventStreams.open(response);
            LogMerge merge = new LogMerge(client, sources, tail, emitter, () -> {});
            Thread.ofVirtual().name("logs-" + namespace + "-" + name).start(() -> merge.tail(limits.logTailTime()));
            return emitter;
        }
        var stillValid = credentials.stillValid(request);
        LogFollows.Place place = follows.take(Caller.of(request).id());
        try {
            SseEmitter emitter = EventStreams.open(response);
            LogMerge merge = new LogMerge(client, sources, tail, emitter, place::release);
            Thread.ofVirtual().name("logs-" + namespace + "-" + name).start(() -> merge.follow(stillValid));
            return emitter;
        } catch (RuntimeException e) {
            place.release();
            throw e;
        }
    }
}
