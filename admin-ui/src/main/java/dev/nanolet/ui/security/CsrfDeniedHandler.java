package dev.nanolet.ui.security;

import dev.nanolet.ui.web.Flash;
import dev.nanolet.ui.web.SessionSignIn;
import java.net.URI;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What a form whose CSRF token does not match the session gets, instead of Spring Security's bare
 * {@code 403 Access Denied}. Almost always the session was lost (idle timeout, restart) while the
 * form stayed open, and the token went with it: the sign-in form is shown afresh asking to try
 * again; any other form sends the user to sign in ({@code /sign-in?expired}). A signed-in user
 * whose token is stale (a form from before they signed in again in another tab, or a forged
 * one) goes to the overview with a message. Nothing the form asked for was done.
 */
final class CsrfDeniedHandler implements ServerAccessDeniedHandler {
    static final String RETRY = SecurityConfig.SIGN_IN + "?retry";
    static final String EXPIRED = SecurityConfig.SIGN_IN + "?expired";
    private static final DefaultServerRedirectStrategy REDIRECT = new DefaultServerRedirectStrategy();

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        var request = exchange.getRequest();
        if (request.getMethod() == HttpMethod.POST && request.getPath().value().equals(SecurityConfig.SIGN_IN)) {
            return SignInRedirect.to(exchange, RETRY);
        }
        // the CSRF filter runs before the security context is loaded: read it from the session
        return exchange.getSession()
                .map(s -> s.getAttribute(SessionSignIn.ATTRIBUTE) instanceof SecurityContext c
                        && c.getAuthentication() instanceof Authentication a && a.isAuthenticated())
                .flatMap(signedIn -> signedIn
                        ? Flash.redirectError(exchange, "/", "csrf.stale", null).then(Mono.defer(() -> stale(exchange)))
                        : SignInRedirect.to(exchange, EXPIRED));
    }

    private static Mono<Void> stale(ServerWebExchange exchange) {
        if (exchange.getRequest().getHeaders().containsHeader("HX-Request")) {
            exchange.getResponse().getHeaders().set("HX-Redirect", "/");
            return exchange.getResponse().setComplete();
        }
        return REDIRECT.sendRedirect(exchange, URI.create("/"));
    }
}
