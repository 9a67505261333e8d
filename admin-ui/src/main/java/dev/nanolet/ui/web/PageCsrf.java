package dev.nanolet.ui.web;

import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The CSRF token of the forms a request's page renders: resolved before the view renders (rendering cannot wait for a
 * {@code Mono}) and left where Thymeleaf's {@code th:action} finds it for the hidden {@code _csrf} input.
 *
 * <p>A request whose session another token signed in to meanwhile ({@link RequestSignIn#stillHeld}) gets none. Its page
 * is the previous token's, and the sign-in dropped the session's token: resolving one would make the new sign-in's token
 * from an answer of the previous one (a late answer; a redirect resolves its model too), and that page's forms, its
 * sign-out too, would post as the new sign-in; they are refused as stale instead. The CSRF token is the signed-in token's
 * ({@code security.TokenSessionState}), and such an answer keeps nothing for it. (Spring Security's repository moved the
 * session's id when it made that token, from under the browser; {@code security.SignedInCsrfTokens} no longer moves a
 * signed-in session's id.)
 */
public final class PageCsrf {
    private PageCsrf() {}

    /** The request's CSRF token, left on the exchange for the view; empty if it has none or its sign-in was replaced. */
    public static Mono<CsrfToken> resolve(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttributeOrDefault(CsrfToken.class.getName(), Mono.empty());
        return exchange.getSession()
                .filter(session -> RequestSignIn.stillHeld(exchange, session))
                .flatMap(session -> token)
                .doOnNext(t -> exchange.getAttributes().put(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME, t));
    }
}
