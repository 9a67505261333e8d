package dev.nanolet.wire;

import java.time.Instant;

/**
 * Something that happened to an object. Repeats (same object, type, reason and message) are one
 * event with a count, as in Kubernetes.
 *
 * @param time when it last happened
 * @param type {@code Normal} or {@code Warning}
 * @param object what it happened to, for example {@code deployment/default/hello}, {@code replica/<uuid>}, {@code node/n1}
 * @param count how many times it happened (at least 1)
 */
public record Event(long id, Instant time, String type, String reason, String message, String object, int count) {
    /** The most events a client may ask a list for ({@code limit}, 1 to this). */
    public static final int MAX_LIMIT = 1000;

    public Event {
        count = Math.max(1, count);
    }

    /** An event that happened once. */
    public Event(long id, Instant time, String type, String reason, String message, String object) {
        this(id, time, type, reason, message, object, 1);
    }
}
