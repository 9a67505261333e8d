package dev.nanolet.ui.security;

import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionIdResolver;
import reactor.core.publisher.Mono;

/**
 * A response names a session id other than the one its request came with only if that request made the session or
 * itself moved the session to that id (a sign-in, the sign-in form's CSRF token, a sign-out); a sign-out's expiry is
 * sent as before. Every request under way holds the same session object, and Spring's session manager names the
 * object's id at the end of each: a request of whoever held the session before a sign-in (a tenant who planted its
 * session, docs/security.md) answered after it was handed the signed-in id. Now it names none, and its copy of the
 * old id names no session.
 *
 * <p>Boot's {@link DefaultWebSessionManager} is replaced by one with its store whose every session an exchange gets notes
 * on that exchange whether it was made for it and the id its own moves left; its id resolver (Boot's) writes only such an id.
 */
@Component
final class SessionIdMoves implements BeanPostProcessor {
    private static final String MADE = SessionIdMoves.class.getName() + ".made";
    private static final String MOVED_TO = SessionIdMoves.class.getName() + ".movedTo";

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DefaultWebSessionManager boot) {
            var manager = new NotingManager();
            manager.setSessionStore(boot.getSessionStore());
            manager.setSessionIdResolver(new OwnIds(boot.getSessionIdResolver()));
            return manager;
        }
        return bean;
    }

    /** Spring's manager, whose sessions note on their exchange what it did to them ({@link #noted}). */
    private static final class NotingManager extends DefaultWebSessionManager {
        @Override
        public Mono<WebSession> getSession(ServerWebExchange exchange) {
            return super.getSession(exchange).map(session -> noted(exchange, session));
        }
    }

    /** A session not yet started is one the manager has just made: no other request has it. */
    private static WebSession noted(ServerWebExchange exchange, WebSession session) {
        if (!session.isStarted()) {
            exchange.getAttributes().put(MADE, Boolean.TRUE);
        }
        return new MovedSession(session, () -> exchange.getAttributes().put(MOVED_TO, session.getId()));
    }

    /** Whether {@code exchange} may name {@code id}: it made the session, or its last move left it there. */
    static boolean mayName(ServerWebExchange exchange, String id) {
        return exchange.getAttributes().containsKey(MADE) || id.equals(exchange.getAttribute(MOVED_TO));
    }

    /** Boot's cookie resolver, which sets the cookie only for an id the exchange {@linkplain #mayName may name}. */
    private record OwnIds(WebSessionIdResolver cookies) implements WebSessionIdResolver {
        @Override
        public List<String> resolveSessionIds(ServerWebExchange exchange) {
            return cookies.resolveSessionIds(exchange);
        }

        @Override
        public void setSessionId(ServerWebExchange exchange, String id) {
            if (mayName(exchange, id)) {
                cookies.setSessionId(exchange, id);
            }
        }

        @Override
        public void expireSession(ServerWebExchange exchange) {
            cookies.expireSession(exchange);
        }
    }
}
