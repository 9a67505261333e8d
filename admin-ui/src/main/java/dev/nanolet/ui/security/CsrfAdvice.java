package dev.nanolet.ui.security;

import dev.nanolet.ui.web.PageCsrf;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Resolves the CSRF token before a view renders ({@link PageCsrf#forPage}), so that Thymeleaf's {@code th:action} forms
 * get their hidden {@code _csrf} input; a full page of a sign-in replaced meanwhile is not rendered.
 */
@ControllerAdvice
class CsrfAdvice {
    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrfToken(ServerWebExchange exchange) {
        return PageCsrf.forPage(exchange);
    }

    /** Whether to show the navigation and the sign-out button. */
    @ModelAttribute("signedIn")
    Mono<Boolean> signedIn(ServerWebExchange exchange) {
        return exchange.getPrincipal().map(p -> true).defaultIfEmpty(false);
    }
}
