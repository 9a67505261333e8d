package dev.nanolet.ui.web;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The CSRF token of the forms a request's page renders: resolved before the view renders (rendering cannot wait for a
 * {@code Mono}) and left where Thymeleaf's {@code th:action} finds it for the hidden {@code _csrf} input.
 *
 * <p>A request whose session no longer holds the sign-in it came with ({@link SessionSignIn#ended}: another token signed
 * in meanwhile, or the browser signed out) is a late answer, and its forms get no token. Its page is the previous
 * sign-in's, and the sign-in or sign-out dropped the session's token: its forms would post as the new sign-in, and a
 * signed-out session would be given a token it has no use for. The sign-in is looked at again once the token is made or
 * loaded: a sign-in that landed in between (on another thread) made the session's token the new sign-in's, and the page
 * gets none either.
 *
 * <p>A late answer asked for with GET, full page or live part, is not rendered at all ({@link #forPage}): it is answered
 * {@link SignInChanged}, which {@code ErrorAdvice} sends to the same address (a full page) or makes htmx reload the page
 * (a live part), as the session is now. Any other late answer (a form's outcome, which may show a token's secret once; an
 * error page) renders, all its forms, the sign-out too, refused as stale; if the browser signed in again, the layout says
 * that the page is the previous sign-in's and to reload it ({@link #signedInAgain}). Such a page never carries the token
 * of the sign-in held now: whoever held the session before that sign-in asked for it, and that may not be the person who
 * signed in (a session planted in their browser by a page on the same host name, docs/security.md, "Data plane"), who
 * would then hold a token that posts any form as them.
 */
public final class PageCsrf {
    /** The model attribute that is true on a late page of a browser that signed in again since, for the layout's line. */
    public static final String SIGNED_IN_AGAIN = "signedInAgain";
    private static final String LATE = PageCsrf.class.getName() + ".signedInAgain";

    private PageCsrf() {}

    /** The request's CSRF token, left on the exchange for the view; empty if it has none or it is a late answer. */
    public static Mono<CsrfToken> resolve(ServerWebExchange exchange) {
        return resolve(exchange, false);
    }

    /** As {@link #resolve}, but a late answer to a GET, a full page or a live part, fails with {@link SignInChanged}. */
    public static Mono<CsrfToken> forPage(ServerWebExchange exchange) {
        return resolve(exchange, HttpMethod.GET.equals(exchange.getRequest().getMethod()));
    }

    /** Whether {@link #resolve} found the answer late, the browser having signed in again since the request came. */
    public static boolean signedInAgain(ServerWebExchange exchange) {
        return exchange.getAttribute(LATE) != null;
    }

    private static Mono<CsrfToken> resolve(ServerWebExchange exchange, boolean notRendered) {
        Mono<CsrfToken> token = exchange.getAttributeOrDefault(CsrfToken.class.getName(), Mono.empty());
        return exchange.getSession().map(session -> RequestSignIn.of(exchange, session))
                .flatMap(signIn -> signIn.ended() ? late(exchange, signIn, notRendered)
                        : token.flatMap(t -> signIn.ended() ? late(exchange, signIn, notRendered) : Mono.just(t)))
                .doOnNext(t -> exchange.getAttributes().put(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME, t));
    }

    private static Mono<CsrfToken> late(ServerWebExchange exchange, SessionSignIn signIn, boolean notRendered) {
        if (notRendered) {
            return Mono.error(SignInChanged::new);
        }
        if (signIn.replaced()) {
            exchange.getAttributes().put(LATE, true);
        }
        return Mono.empty();
    }

    /** A GET of a sign-in the browser replaced or ended while it was being answered: it is not rendered. */
    public static final class SignInChanged extends RuntimeException {
        SignInChanged() {
            super("this browser signed in again or out while the page was being answered", null, false, false);
        }
    }
}
