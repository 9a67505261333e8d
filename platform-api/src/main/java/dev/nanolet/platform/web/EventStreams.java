package dev.nanolet.platform.web;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Opens a server-sent event stream without a timeout (it ends when its writer or its client does) that a proxy passes
 * on as it is written: {@code X-Accel-Buffering: no} turns off nginx's buffering of the answer, which is on unless its
 * operator turned it off for {@code /api}, and held back a quiet stream's keep-alive comments, so the CLI took a quiet
 * {@code logs -f} for a stalled one and a node's watch for a dead one.
 */
public final class EventStreams {
    private EventStreams() {}

    public static SseEmitter open(HttpServletResponse response) {
        response.setHeader("X-Accel-Buffering", "no");
        return new SseEmitter(0L);
    }
}
