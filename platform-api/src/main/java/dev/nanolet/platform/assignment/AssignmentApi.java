package dev.nanolet.platform.assignment;

import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.node.NodeProperties;
import dev.nanolet.wire.AssignmentSnapshot;
import java.time.Duration;
import java.util.OptionalLong;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
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
    private final WatchSignals signals;
    private final JdbcClient jdbc;
    private final Duration heartbeat;

    AssignmentApi(AssignmentQueries queries, WatchSignals signals, JdbcClient jdbc,
            NodeProperties properties) {
        this.queries = queries;
        this.signals = signals;
        this.jdbc = jdbc;
        this.heartbeat = properties.watchHeartbeat();
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    AssignmentSnapshot snapshot(@PathVariable String node) {
        requireNode(node);
        return queries.snapshot(node);
    }

    @GetMapping(params = "watch=true", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.ALL_VALUE})
    SseEmitter watch(@PathVariable String node, @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        requireNode(node);
        SseEmitter emitter = new SseEmitter(0L);
        Thread.ofVirtual().name("watch-" + node).start(
                new WatchStream(node, parse(lastEventId), emitter, queries, signals, heartbeat));
        return emitter;
    }

    private void requireNode(String node) {
        if (jdbc.sql("SELECT count(*) FROM nodes WHERE name = ?").param(node).query(Integer.class).single() == 0) {
            throw new NotFoundException("node " + node + " is not registered");
        }
    }

    private static OptionalLong parse(String lastEventId) {
        try {
            return lastEventId == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lastEventId.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
