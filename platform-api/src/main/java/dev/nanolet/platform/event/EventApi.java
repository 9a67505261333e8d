package dev.nanolet.platform.event;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.wire.Event;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/events?type=Normal|Warning&limit=N}: events of all namespaces, newest first. */
@RestController
class EventApi {
    private final EventRepository events;

    EventApi(EventRepository events) {
        this.events = events;
    }

    @GetMapping("/api/v1/events")
    List<Event> list(@RequestParam(required = false) String type, @RequestParam(defaultValue = "100") int limit) {
        Limit max = EventViews.limit(limit);
        List<EventEntity> found = switch (type == null ? "" : type) {
            case "" -> events.findAllByOrderByIdDesc(max);
            case "Normal", "Warning" -> events.findByTypeOrderByIdDesc(type, max);
            default -> throw new InvalidInputException("type", "must be Normal or Warning");
        };
        return found.stream().map(EventViews::toWire).toList();
    }
}
