package dev.nanolet.ui.web;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * The CSRF token of the forms a request's page renders: resolved before the view renders (rendering cannot wait for a
 * {@code Mono}) and left where Thymeleaf's {@code th:action} finds it for the hidden {@code _csrf} input.
 *
 * <p>A request whose session another token signed in to meanwhile ({@link RequestSignIn#stillHeld}) gets none. Its page
 * is the previous token's, and the sign-in dropped the session's token: resolving one would make the new sign-in's token
 * from an answer of the previous one (a late answer; a redirect resolves its model too), and that page's forms, its
 * sign-out too, would post as the new sign-in. The CSRF token is the signed-in token's ({@code security.TokenSessionState}),
 * and such an answer keeps nothing for it. The sign-in is looked at again once the token is made or loaded: a sign-in that
 * landed in between (on another thread) made the session's token the new sign-in's, and the page gets none either. (Spring
 * Security's repository moved the session's id when it made that token, from under the browser;
 * {@code security.SignedInCsrfTokens} no longer moves a signed-in session's id.)
 *
 * <p>A full page asked for with GET is not rendered at all then ({@link #forPage}): it would show the previous token's
 * view with forms that can only be refused, so it is answered {@link SignedInAgain} instead, which {@code ErrorAdvice}
 * sends to the same address, as the token signed in now sees it. Any other late answer (a form's outcome, an error page
 * such as a 401's, which {@code ErrorAdvice} renders with {@link #resolve}, a live part) renders without a token: its forms,
 * its sign-out too, are refused as stale.
 */
public final class PageCsrf {
    private PageCsrf() {}

    /** The request's CSRF token, left on the exchange for the view; empty if it has none or its sign-in was replaced. */
    public static Mono<CsrfToken> resolve(ServerWebExchange exchange) {
        return resolve(exchange, Mono.empty());
    }

    /**
     * As {@link #resolve}, but a full page asked for with GET whose sign-in was replaced fails with {@link SignedInAgain}
     * rather than render.
     */
    public static Mono<CsrfToken> forPage(ServerWebExchange exchange) {
        boolean redirectable = HttpMethod.GET.equals(exchange.getRequest().getMethod()) && !Htmx.isHtmx(exchange);
        return resolve(exchange, redirectable ? Mono.error(SignedInAgain::new) : Mono.empty());
    }

    private static Mono<CsrfToken> resolve(ServerWebExchange exchange, Mono<CsrfToken> replaced) {
        Mono<CsrfToken> token = exchange.getAttributeOrDefault(CsrfToken.class.getName(), Mono.empty());
        return exchange.getSession()
                .flatMap(session -> held(exchange, session)
                        ? token.flatMap(t -> held(exchange, session) ? Mono.just(t) : replaced)
                        : replaced)
                .doOnNext(t -> exchange.getAttributes().put(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME, t));
    }

    private static boolean held(ServerWebExchange exchange, WebSession session) {
        return RequestSignIn.stillHeld(exchange, session);
    }

    /** A full page of a token whose sign-in the browser replaced while it was being answered: it is not rendered. */
    public static final class SignedInAgain extends RuntimeException {
        SignedInAgain() {
            super("this browser signed in again while the page was being answered", null, false, false);
        }
    }
}
