package dev.nanolet.ui.security;

import dev.nanolet.ui.web.PageCsrf;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Resolves the CSRF token before a view renders ({@link PageCsrf#forPage}), so that Thymeleaf's {@code th:action} forms
 * get their hidden {@code _csrf} input (a late page's sign-out its own, {@code signOutCsrf}); a GET of a sign-in replaced or
 * ended meanwhile is not rendered.
 */
@ControllerAdvice
class CsrfAdvice {
    /** The forms' token is left on the exchange, where {@code th:action} looks; the model gets only a late page's sign-out token. */
    @ModelAttribute(PageCsrf.SIGN_OUT)
    Mono<CsrfToken> csrfToken(ServerWebExchange exchange) {
        return PageCsrf.forPage(exchange).then(Mono.fromSupplier(() -> PageCsrf.lateSignOut(exchange).orElse(null)));
    }

    /** Whether to show the navigation and the sign-out button. */
    @ModelAttribute("signedIn")
    Mono<Boolean> signedIn(ServerWebExchange exchange) {
        return exchange.getPrincipal().map(p -> true).defaultIfEmpty(false);
    }
}
