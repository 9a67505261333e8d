package dev.nanolet.ui.security;

import dev.nanolet.ui.web.PageCsrf;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Resolves the CSRF token before a view renders ({@link PageCsrf#forPage}), so that Thymeleaf's {@code th:action} forms
 * get their hidden {@code _csrf} input; a GET of a sign-in replaced or ended meanwhile is not rendered, and any other late
 * page is told it is one ({@code signedInAgain}).
 */
@ControllerAdvice
class CsrfAdvice {
    /** The forms' token is left on the exchange, where {@code th:action} looks; the model gets whether the page is late. */
    @ModelAttribute(PageCsrf.SIGNED_IN_AGAIN)
    Mono<Boolean> csrfToken(ServerWebExchange exchange) {
        return PageCsrf.forPage(exchange).then(Mono.fromSupplier(() -> PageCsrf.signedInAgain(exchange)));
    }

    /** Whether to show the navigation and the sign-out button. */
    @ModelAttribute("signedIn")
    Mono<Boolean> signedIn(ServerWebExchange exchange) {
        return exchange.getPrincipal().map(p -> true).defaultIfEmpty(false);
    }
}
