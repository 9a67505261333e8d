package dev.nanolet.wire;

import java.time.Instant;
import java.util.List;

/**
 * A secret as the API shows it: its key names, never its values.
 *
 * @param version 1 at creation, one more on every write that changes the data
 */
public record Secret(String namespace, String name, List<String> keys, long version, Instant createdAt, Instant updatedAt) {
    public Secret {
        keys = Collections2.list(keys);
    }
}
