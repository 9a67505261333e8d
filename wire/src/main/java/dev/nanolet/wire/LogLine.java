package dev.nanolet.wire;

import java.time.Instant;
import java.util.UUID;

/**
 * One line a replica wrote.
 *
 * @param stream {@code stdout} or {@code stderr}
 */
public record LogLine(Instant time, UUID replica, String stream, String line) {}
