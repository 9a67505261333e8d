package dev.nanolet.ui.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/** A request's view of a web session: as the session itself, but each move of its id tells {@code moved} once done ({@link SessionIdMoves}). */
final class MovedSession implements WebSession {
    private final WebSession session;
    private final Runnable moved;

    MovedSession(WebSession session, Runnable moved) {
        this.session = session;
        this.moved = moved;
    }

    @Override
    public Mono<Void> changeSessionId() {
        return session.changeSessionId().then(Mono.fromRunnable(moved));
    }

    @Override
    public String getId() {
        return session.getId();
    }

    @Override
    public Map<String, Object> getAttributes() {
        return session.getAttributes();
    }

    @Override
    public void start() {
        session.start();
    }

    @Override
    public boolean isStarted() {
        return session.isStarted();
    }

    @Override
    public Mono<Void> save() {
        return session.save();
    }

    @Override
    public Mono<Void> invalidate() {
        return session.invalidate();
    }

    @Override
    public boolean isExpired() {
        return session.isExpired();
    }

    @Override
    public Instant getCreationTime() {
        return session.getCreationTime();
    }

    @Override
    public Instant getLastAccessTime() {
        return session.getLastAccessTime();
    }

    @Override
    public void setMaxIdleTime(Duration maxIdleTime) {
        session.setMaxIdleTime(maxIdleTime);
    }

    @Override
    public Duration getMaxIdleTime() {
        return session.getMaxIdleTime();
    }
}
