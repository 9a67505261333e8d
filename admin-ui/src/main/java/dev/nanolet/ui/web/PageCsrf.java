package dev.nanolet.ui.web;

import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The CSRF token of the forms a request's page renders: resolved before the view renders (rendering cannot wait for a
 * {@code Mono}) and left where Thymeleaf's {@code th:action} finds it for the hidden {@code _csrf} input.
 *
 * <p>A request whose session another token signed in to meanwhile ({@link RequestSignIn#stillHeld}) gets none. The
 * sign-in dropped the session's token, so resolving one would make a new one, and Spring Security gives the session a new
 * id whenever it saves a token: an answer of the previous token that came late (a redirect resolves its model too) moved
 * the id from under the browser, whose newer cookie then named no session, and its next page went to sign in. The CSRF
 * token is the signed-in token's ({@code security.TokenSessionState}), and such an answer keeps nothing for it.
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
