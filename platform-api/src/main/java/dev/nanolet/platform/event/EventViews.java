package dev.nanolet.platform.event;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.wire.Event;
import org.springframework.data.domain.Limit;

/** Events as the API shows them. */
public final class EventViews {
    public static final int MAX_LIMIT = Event.MAX_LIMIT;
    private EventViews() {}

    public static Event toWire(EventEntity e) {
        return new Event(e.getId(), e.getTime(), e.getType(), e.getReason(), e.getMessage(), e.getObject(), e.getCount());
    }

    /** A query limit from 1 to {@value #MAX_LIMIT}, else 422 naming {@code limit}. */
    public static Limit limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return Limit.of(limit);
    }
}
