package dev.nanolet.ui.security;

import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Resolves the CSRF token before a view renders, so that Thymeleaf's {@code th:action} forms
 * get their hidden {@code _csrf} input (rendering itself cannot wait for a {@code Mono}).
 */
@ControllerAdvice
class CsrfAdvice {
    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrfToken(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null
                ? Mono.empty()
                : token.doOnSuccess(t -> exchange.getAttributes().put(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME, t));
    }

    /** Whether to show the navigation and the sign-out button. */
    @ModelAttribute("signedIn")
    Mono<Boolean> signedIn(ServerWebExchange exchange) {
        return exchange.getPrincipal().map(p -> true).defaultIfEmpty(false);
    }
}
