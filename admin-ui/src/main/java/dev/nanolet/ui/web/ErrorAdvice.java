package dev.nanolet.ui.web;

import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.platform.WriteCondition;
import dev.nanolet.wire.Problem;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Turns platform-api's failures into a readable page (or fragment, for htmx): 401 signs the
 * user out and sends them to sign in again, unless the browser signed in again while the request was on its way
 * ({@link RequestSignIn}: that newer sign-in stays, the page says to reload); everything else shows status, title and detail.
 */
@ControllerAdvice
class ErrorAdvice {
    static final String SIGNED_IN_AGAIN = "platform-api refused the token this page was asked with, and this browser has signed in"
            + " again since: reload the page.";
    /** Also the page Spring Boot renders for errors no controller handled (it looks for {@code error/error}). */
    static final String VIEW = "error/error";

    @ExceptionHandler(PlatformException.Refused.class)
    Mono<String> refused(PlatformException.Refused e, Model model, ServerWebExchange exchange) {
        if (e.status() == 401) {
            String signIn = "/sign-in?expired";
            return exchange.getSession().flatMap(session -> RequestSignIn.stillHeld(exchange, session)
                    ? session.invalidate().thenReturn(true) : Mono.just(false)).flatMap(ended -> {
                if (!ended) {
                    return problem(HttpStatus.UNAUTHORIZED, SIGNED_IN_AGAIN, model, exchange);
                }
                if (!Htmx.isHtmx(exchange)) {
                    return Mono.just("redirect:" + signIn);
                }
                // an XHR would follow a redirect and swap the sign-in page into the fragment: move the whole page instead
                exchange.getResponse().getHeaders().set("HX-Redirect", signIn);
                model.addAttribute("problem", e.problem());
                return view(exchange, model);
            });
        }
        HttpStatus status = HttpStatus.resolve(e.status());
        exchange.getResponse().setStatusCode(status != null && status.is4xxClientError() ? status : HttpStatus.BAD_GATEWAY);
        model.addAttribute("problem", e.problem());
        return view(exchange, model);
    }

    /**
     * A GET of the sign-in the browser replaced or ended, answered after that: a full page is sent to its own address
     * (303), which the session as it is now is answered (path and query as the browser sent them, a leading {@code //}
     * made one slash so that the address stays this host's); a live part answers {@code HX-Refresh}, on which htmx reloads
     * the page it is part of before it looks at the status (286, which stops its polling, should the header not reach it),
     * rather than swap in forms that would be refused.
     */
    @ExceptionHandler(PageCsrf.SignInChanged.class)
    Mono<Void> signInChanged(ServerWebExchange exchange) {
        if (Htmx.isHtmx(exchange)) {
            exchange.getResponse().setRawStatusCode(Htmx.STOP_POLLING);
            exchange.getResponse().getHeaders().set("HX-Refresh", "true");
            return exchange.getResponse().setComplete();
        }
        URI asked = exchange.getRequest().getURI();
        String path = asked.getRawPath().replaceFirst("^/+", "/");
        exchange.getResponse().setStatusCode(HttpStatus.SEE_OTHER);
        exchange.getResponse().getHeaders().setLocation(URI.create(asked.getRawQuery() == null ? path : path + "?" + asked.getRawQuery()));
        return exchange.getResponse().setComplete();
    }

    /** A form whose hidden resource version was tampered with: nothing is sent to platform-api. */
    @ExceptionHandler(WriteCondition.InvalidVersion.class)
    Mono<String> invalidVersion(WriteCondition.InvalidVersion e, Model model, ServerWebExchange exchange) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage(), model, exchange);
    }

    /** A page for writing that the signed-in token may not write with: nothing is asked of platform-api. */
    @ExceptionHandler(Forbidden.class)
    Mono<String> forbidden(Forbidden e, Model model, ServerWebExchange exchange) {
        return problem(HttpStatus.FORBIDDEN, e.getMessage(), model, exchange);
    }

    private static Mono<String> problem(HttpStatus status, String detail, Model model, ServerWebExchange exchange) {
        exchange.getResponse().setStatusCode(status);
        model.addAttribute("problem", new Problem(null, status.getReasonPhrase(), status.value(), detail, null, null));
        return view(exchange, model);
    }

    @ExceptionHandler(PlatformException.Unavailable.class)
    Mono<String> unavailable(PlatformException.Unavailable e, Model model, ServerWebExchange exchange) {
        exchange.getResponse().setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
        model.addAttribute("unavailable", e.getMessage());
        return view(exchange, model);
    }

    @ExceptionHandler(PlatformException.Malformed.class)
    Mono<String> malformed(PlatformException.Malformed e, Model model, ServerWebExchange exchange) {
        exchange.getResponse().setStatusCode(HttpStatus.BAD_GATEWAY);
        model.addAttribute("malformed", e.getMessage());
        return view(exchange, model);
    }

    /**
     * The fragment for htmx; else the whole page, which needs what the advices' model attributes
     * would give a normal page (an exception handler's model starts empty): the navigation (with {@code may}, so that it
     * links only to what the token may read: without it, a namespace-scoped token's 403 page offered Nodes), the
     * sign-out form's CSRF token, so that the user is not stranded on the error (none on a late error page, which says so:
     * {@link PageCsrf#signedInAgain}), and the flash
     * message of the action that led here (else a later page would show it).
     */
    private static Mono<String> view(ServerWebExchange exchange, Model model) {
        if (Htmx.isHtmx(exchange)) {
            return Mono.just(VIEW + " :: message");
        }
        return PageCsrf.resolve(exchange)
                .then(Mono.fromRunnable(() -> model.addAttribute(PageCsrf.SIGNED_IN_AGAIN, PageCsrf.signedInAgain(exchange))))
                .then(exchange.getPrincipal().hasElement())
                .doOnNext(signedIn -> model.addAttribute("signedIn", signedIn))
                .then(Permissions.of(exchange))
                .doOnNext(may -> model.addAttribute("may", may))
                .then(Flash.take(exchange))
                .doOnNext(message -> model.addAttribute("flash", message))
                .thenReturn(VIEW);
    }
}
