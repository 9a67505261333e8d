package dev.nanolet.ui.web;

import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * Remembers the sign-in a request's session held when the request came in, whose token its calls to platform-api carry
 * (after Spring Security's chain, which runs first). A 401 to those calls ends that sign-in, not one the browser made
 * meanwhile in another tab: ending the session then signed the user out just after they signed in again.
 */
@Component
public class RequestSignIn implements WebFilter {
    private static final String ATTRIBUTE = RequestSignIn.class.getName();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return exchange.getSession()
                .doOnNext(s -> {
                    Object signedIn = s.getAttribute(SessionSignIn.ATTRIBUTE);
                    if (signedIn != null) {
                        exchange.getAttributes().put(ATTRIBUTE, signedIn);
                    }
                })
                .then(chain.filter(exchange));
    }

    /**
     * Whether {@code session} holds no sign-in newer than the one it held when {@code exchange} came in: the same one, or
     * none (signed out meanwhile, nothing to keep, the browser goes to sign in). What the request's answer would keep in the
     * session for its token is not kept when another token signed in meanwhile: a sign-in forgets what the session held
     * for the token before ({@code security.TokenSessionState}), and an answer coming after it must not put it back.
     */
    public static boolean stillHeld(ServerWebExchange exchange, WebSession session) {
        return !of(exchange, session).replaced();
    }

    /** The sign-in {@code session} held when {@code exchange} came in. */
    public static SessionSignIn of(ServerWebExchange exchange, WebSession session) {
        return new SessionSignIn(session, exchange.getAttribute(ATTRIBUTE));
    }
}
