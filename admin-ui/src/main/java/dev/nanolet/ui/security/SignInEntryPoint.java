package dev.nanolet.ui.security;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Sends visitors who are not signed in to the sign-in page; htmx requests get {@code HX-Redirect} so the whole page moves. */
final class SignInEntryPoint implements ServerAuthenticationEntryPoint {
    private final String signIn;
    private final RedirectServerAuthenticationEntryPoint redirect;

    SignInEntryPoint(String signIn) {
        this.signIn = signIn;
        this.redirect = new RedirectServerAuthenticationEntryPoint(signIn);
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException e) {
        if (exchange.getRequest().getHeaders().containsHeader("HX-Request")) {
            exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
            exchange.getResponse().getHeaders().set("HX-Redirect", URI.create(signIn).toString());
            return exchange.getResponse().setComplete();
        }
        return redirect.commence(exchange, e);
    }
}
