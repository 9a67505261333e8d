package dev.nanolet.wire;

/** An event a node reports about one of its replicas ({@code POST /api/v1/nodes/{node}/replicas/{id}/events}). */
public record EventReport(String type, String reason, String message) {}
