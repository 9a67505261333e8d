package dev.nanolet.wire;

import java.time.Instant;

/** An immutable copy of a deployment spec; rollback makes an old one current again. */
public record Revision(int revision, long generation, DeploymentSpec spec, boolean current, Instant createdAt) {}
