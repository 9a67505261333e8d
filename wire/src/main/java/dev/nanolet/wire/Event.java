package dev.nanolet.wire;

import java.time.Instant;

/**
 * Append-only record of something that happened to an object.
 *
 * @param type {@code Normal} or {@code Warning}
 * @param object what it happened to, for example {@code deployment/default/hello}, {@code replica/<uuid>}, {@code node/n1}
 */
public record Event(long id, Instant time, String type, String reason, String message, String object) {}
