package dev.nanolet.ui.security;

import dev.nanolet.ui.web.SessionSignIn;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
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
 * <p>Nor does a request name the id it moved the session to once the session holds a sign-in another request put there
 * meanwhile: a tenant's request that moves the planted id itself (the sign-in form's token, its own sign-in or sign-out)
 * may have looked at the session before the admin's sign-in landed and moved it after, or read the id just after the
 * admin's sign-in moved it again; either way the id it would name is the admin's sign-in's. The sign-in's own answer
 * names it ({@link #signedIn}).
 *
 * <p>Boot's {@link DefaultWebSessionManager} is replaced by one with its store whose every session an exchange gets notes
 * on that exchange whether it was made for it and the id its own moves left; its id resolver (Boot's) writes only such an id.
 */
@Component
final class SessionIdMoves implements BeanPostProcessor {
    private static final String MADE = SessionIdMoves.class.getName() + ".made";
    private static final String MOVED_TO = SessionIdMoves.class.getName() + ".movedTo";
    private static final String SESSION = SessionIdMoves.class.getName() + ".session";
    private static final String HELD = SessionIdMoves.class.getName() + ".held";
    private static final String SIGNED_IN = SessionIdMoves.class.getName() + ".signedIn";

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
        exchange.getAttributes().put(SESSION, session);
        Object held = session.getAttribute(SessionSignIn.ATTRIBUTE);
        if (held != null) {
            exchange.getAttributes().put(HELD, held);
        }
        return new MovedSession(session, () -> exchange.getAttributes().put(MOVED_TO, session.getId()));
    }

    /** Notes that {@code exchange} signed in with {@code authentication}: it may name the id its sign-in moved the session to. */
    static void signedIn(ServerWebExchange exchange, Authentication authentication) {
        exchange.getAttributes().put(SIGNED_IN, authentication);
    }

    /**
     * Whether {@code exchange} may name {@code id}: it made the session, or its last move left it there and the session
     * holds no sign-in but the one it held when the exchange got it or the one the exchange signed in.
     */
    static boolean mayName(ServerWebExchange exchange, String id) {
        return exchange.getAttributes().containsKey(MADE) || id.equals(exchange.getAttribute(MOVED_TO)) && noOtherSignIn(exchange);
    }

    private static boolean noOtherSignIn(ServerWebExchange exchange) {
        Object now = exchange.<WebSession>getRequiredAttribute(SESSION).getAttribute(SessionSignIn.ATTRIBUTE);
        return now == null || now == exchange.getAttribute(HELD)
                || now instanceof SecurityContext c && exchange.getAttribute(SIGNED_IN) instanceof Authentication mine
                        && c.getAuthentication() == mine;
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
