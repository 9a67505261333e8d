package dev.nanolet.ui.security;

import dev.nanolet.ui.web.SessionSignIn;
import java.util.Set;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What a web session holds for the token signed in, as against what it holds for the browser: everything but Spring
 * Security's sign-in and the page that asked for it belongs to the token (its refused secret saves, its token create
 * forms, a flash message of its last action, the CSRF token). A sign-in and a sign-out forget it, so that a token signing
 * in later in the same browser never sees what the previous one left: another token's conflicts, say.
 */
final class TokenSessionState {
    /** Where {@link org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache} keeps the page that asked for sign-in (its own, fixed name). */
    static final String SAVED_REQUEST = "SPRING_SECURITY_SAVED_REQUEST";
    private static final Set<String> BROWSERS = Set.of(SessionSignIn.ATTRIBUTE, SAVED_REQUEST);

    private TokenSessionState() {}

    /** Removes from the exchange's session every attribute that belongs to a token. */
    static Mono<Void> forget(ServerWebExchange exchange) {
        return exchange.getSession().doOnNext(s -> s.getAttributes().keySet().removeIf(name -> !BROWSERS.contains(name))).then();
    }
}
