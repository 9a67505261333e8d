package dev.nanolet.ui.security;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Sends the browser to a sign-in page from a filter or handler: a redirect for a page load;
 * {@code HX-Redirect} for htmx, whose request would follow a redirect and swap the sign-in page
 * into a fragment instead of moving the whole page.
 */
final class SignInRedirect {
    private static final DefaultServerRedirectStrategy REDIRECT = new DefaultServerRedirectStrategy();

    private SignInRedirect() {}

    static Mono<Void> to(ServerWebExchange exchange, String location) {
        if (exchange.getRequest().getHeaders().containsHeader("HX-Request")) {
            exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
            exchange.getResponse().getHeaders().set("HX-Redirect", location);
            return exchange.getResponse().setComplete();
        }
        return REDIRECT.sendRedirect(exchange, URI.create(location));
    }
}
