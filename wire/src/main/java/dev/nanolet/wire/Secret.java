package dev.nanolet.wire;

import java.time.Instant;
import java.util.List;

/**
 * A secret as the API shows it: its key names, never its values.
 *
 * @param version 1 at creation, one more on every write that changes the data
 * @param resourceVersion opaque; changes with {@code version} but is never reused, not even by a secret of the same
 *     name created after a delete; its ETag, which a write's {@code If-Match} names
 */
public record Secret(String namespace, String name, List<String> keys, long version, Instant createdAt, Instant updatedAt,
        String resourceVersion) {
    public Secret {
        keys = Collections2.list(keys);
    }

    /** A secret without a resource version. */
    public Secret(String namespace, String name, List<String> keys, long version, Instant createdAt, Instant updatedAt) {
        this(namespace, name, keys, version, createdAt, updatedAt, null);
    }
}
