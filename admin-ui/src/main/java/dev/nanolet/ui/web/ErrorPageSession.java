package dev.nanolet.ui.web;

import dev.nanolet.wire.Identity;
import org.springframework.core.Ordered;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Spring Boot renders errors no controller handled (an unknown URL, a malformed form) after the
 * security filters are done, so its page would not know who is signed in. This runs just before
 * Boot's handler: it reads the signed-in state from the web session (where Spring Security keeps
 * it), resolves the CSRF token for the sign-out form (none for a late page, {@link PageCsrf}), takes the pending {@link Flash} message,
 * leaves them on the exchange with what the token may do and passes the error on; {@link SessionErrorAttributes} puts
 * {@code signedIn}, {@code may} and {@code flash} into the error page's model.
 */
@Component
class ErrorPageSession implements WebExceptionHandler, Ordered {
    static final String SIGNED_IN = ErrorPageSession.class.getName() + ".signedIn";
    static final String FLASH = ErrorPageSession.class.getName() + ".flash";
    /** What the signed-in token may do, for the navigation as on every page ({@link Permissions}). */
    static final String MAY = ErrorPageSession.class.getName() + ".may";
    /** Boot's {@code ErrorWebExceptionHandler} is ordered -1. */
    private static final int BEFORE_BOOTS_ERROR_HANDLER = -2;

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        return Flash.take(exchange)
                .doOnNext(message -> exchange.getAttributes().put(FLASH, message))
                .then(exchange.getSession())
                .mapNotNull(s -> s.getAttribute(SessionSignIn.ATTRIBUTE) instanceof SecurityContext c
                        && c.getAuthentication() instanceof Authentication a && a.isAuthenticated() ? a : null)
                .doOnNext(a -> exchange.getAttributes().put(SIGNED_IN, true))
                .doOnNext(a -> {
                    if (a.getDetails() instanceof Identity identity) {
                        exchange.getAttributes().put(MAY, new Permissions.May(identity));
                    }
                })
                .flatMap(signedIn -> PageCsrf.resolve(exchange))
                .then(Mono.error(error));
    }

    @Override
    public int getOrder() {
        return BEFORE_BOOTS_ERROR_HANDLER;
    }
}
