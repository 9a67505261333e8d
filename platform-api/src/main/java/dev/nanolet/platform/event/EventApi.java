package dev.nanolet.platform.event;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.wire.Event;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/events?type=Normal|Warning&limit=N}: events of all namespaces, newest first; and
 * {@code GET /api/v1/namespaces/{ns}/events} the same for the objects of one namespace (never a node's event, which has
 * none), so that a token with {@code viewer} in its namespaces only reads their events.
 */
@RestController
class EventApi {
    private final EventRepository events;

    EventApi(EventRepository events) {
        this.events = events;
    }

    @GetMapping("/api/v1/events")
    List<Event> list(@RequestParam(required = false) String type, @RequestParam(defaultValue = "100") int limit) {
        return list(null, type, limit);
    }

    @GetMapping("/api/v1/namespaces/{namespace}/events")
    List<Event> listIn(@PathVariable String namespace, @RequestParam(required = false) String type,
            @RequestParam(defaultValue = "100") int limit) {
        return list(namespace, type, limit);
    }

    /** {@code namespace} null: all namespaces, nodes' events too. */
    private List<Event> list(String namespace, String type, int limit) {
        Limit max = EventViews.limit(limit);
        List<EventEntity> found = switch (type == null ? "" : type) {
            case "" -> namespace == null ? events.findAllByOrderByIdDesc(max) : events.findByNamespaceOrderByIdDesc(namespace, max);
            case "Normal", "Warning" -> namespace == null ? events.findByTypeOrderByIdDesc(type, max)
                    : events.findByNamespaceAndTypeOrderByIdDesc(namespace, type, max);
            default -> throw new InvalidInputException("type", "must be Normal or Warning");
        };
        return found.stream().map(EventViews::toWire).toList();
    }
}
