package dev.nanolet.agent.logs;

/** Who may read this node's logs: platform-api, with the logs token it issued to this node. */
public interface LogCallers {
    /** Whether {@code authorization} (the header's value, may be null) carries the logs token; constant time. */
    boolean accepts(String authorization);
}
