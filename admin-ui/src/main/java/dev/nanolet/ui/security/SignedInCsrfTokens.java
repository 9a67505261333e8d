package dev.nanolet.ui.security;

import dev.nanolet.ui.web.SessionSignIn;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.WebSessionServerCsrfTokenRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * Spring Security's CSRF token kept in the web session ({@link WebSessionServerCsrfTokenRepository}), but once the session
 * holds a sign-in a token is made without a new session id, and requests that make one at once make the same one.
 *
 * <p>Spring gives the session a new id whenever it saves a token. The sign-in has given it one already and dropped the
 * token its form showed ({@link SecurityConfig}), so the id an attacker may have planted and the token they may know are
 * worth nothing by then; another id adds nothing. It cost the session instead: the first pages of a sign-in (a page and
 * another tab's refresh) each made a token, so the id moved twice, and a browser whose cookie came from the earlier answer
 * named no session and went to sign in; and the later token replaced the earlier one, so the forms of the first page were
 * refused as stale. Before sign-in (the sign-in form's token), and when the sign-in or sign-out drops the token, it is
 * Spring's: the id changes. A page of a token whose sign-in was replaced makes none ({@code web.PageCsrf}).
 */
final class SignedInCsrfTokens implements ServerCsrfTokenRepository {
    private final WebSessionServerCsrfTokenRepository spring = new WebSessionServerCsrfTokenRepository();
    private final String attribute = SignedInCsrfTokens.class.getName() + ".token";

    SignedInCsrfTokens() {
        spring.setSessionAttributeName(attribute);
    }

    /** A new token; in a signed-in session, the one another request made meanwhile if there is one, kept at once. */
    @Override
    public Mono<CsrfToken> generateToken(ServerWebExchange exchange) {
        return spring.generateToken(exchange).zipWith(exchange.getSession(), (fresh, session) -> signedIn(session)
                && session.getAttributes().putIfAbsent(attribute, fresh) instanceof CsrfToken made ? made : fresh);
    }

    @Override
    public Mono<Void> saveToken(ServerWebExchange exchange, CsrfToken token) {
        return exchange.getSession().flatMap(session -> token != null && signedIn(session)
                ? Mono.fromRunnable(() -> session.getAttributes().put(attribute, token))
                : spring.saveToken(exchange, token));
    }

    @Override
    public Mono<CsrfToken> loadToken(ServerWebExchange exchange) {
        return spring.loadToken(exchange);
    }

    private static boolean signedIn(WebSession session) {
        return session.getAttribute(SessionSignIn.ATTRIBUTE) != null;
    }
}
