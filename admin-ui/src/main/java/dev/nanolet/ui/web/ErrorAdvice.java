package dev.nanolet.ui.web;

import dev.nanolet.ui.platform.PlatformException;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * Turns platform-api's failures into a readable page (or fragment, for htmx): 401 signs the
 * user out and sends them to sign in again; everything else shows status, title and detail.
 */
@ControllerAdvice
class ErrorAdvice {
    static final String VIEW = "error";

    @ExceptionHandler(PlatformException.Refused.class)
    Mono<String> refused(PlatformException.Refused e, Model model, ServerWebExchange exchange) {
        if (e.status() == 401) {
            String signIn = "/sign-in?expired";
            return exchange.getSession().flatMap(WebSession::invalidate).then(Mono.fromSupplier(() -> {
                if (!Htmx.isHtmx(exchange)) {
                    return "redirect:" + signIn;
                }
                // an XHR would follow a redirect and swap the sign-in page into the fragment: move the whole page instead
                exchange.getResponse().getHeaders().set("HX-Redirect", signIn);
                model.addAttribute("problem", e.problem());
                return view(exchange);
            }));
        }
        HttpStatus status = HttpStatus.resolve(e.status());
        exchange.getResponse().setStatusCode(status != null && status.is4xxClientError() ? status : HttpStatus.BAD_GATEWAY);
        model.addAttribute("problem", e.problem());
        return Mono.just(view(exchange));
    }

    @ExceptionHandler(PlatformException.Unavailable.class)
    Mono<String> unavailable(PlatformException.Unavailable e, Model model, ServerWebExchange exchange) {
        exchange.getResponse().setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
        model.addAttribute("unavailable", e.getMessage());
        return Mono.just(view(exchange));
    }

    private static String view(ServerWebExchange exchange) {
        return Htmx.isHtmx(exchange) ? VIEW + " :: message" : VIEW;
    }
}
