package dev.nanolet.ui.web;

import dev.nanolet.ui.platform.PlatformException;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * Flash messages for post/redirect/get (WebFlux has no flash attributes): a POST handler
 * {@linkplain #put puts} a message key in the session, the next full page shows it once. That
 * page may be an error (the deployment an action redirects to was deleted meanwhile): the error
 * pages {@linkplain #take take} it too, so that it never turns up on a later, unrelated page.
 */
@ControllerAdvice
public class Flash {
    private static final String ATTRIBUTE = Flash.class.getName();
    /** The message of a write refused with 412: someone else changed the object since the form was rendered. */
    public static final String CONFLICT = "action.conflict";

    /** A message to show once: {@code key} in messages.properties, with one argument; {@code error} colours it. */
    public record Message(String key, String argument, boolean error) {}

    /** Stores a success message and answers a redirect view name to {@code location}. */
    public static Mono<String> redirect(ServerWebExchange exchange, String location, String key, String argument) {
        return put(exchange, location, new Message(key, argument, false));
    }

    /** Stores an error message and answers a redirect view name to {@code location}. */
    public static Mono<String> redirectError(ServerWebExchange exchange, String location, String key, String argument) {
        return put(exchange, location, new Message(key, argument, true));
    }

    /**
     * {@code action}, or, when platform-api refuses it with a 4xx other than 401 (bad input, a
     * conflict, a missing object), a redirect to {@code back} with the reason as an error message
     * {@code key}; a 412 (the object changed since the form showed it) as {@code action.conflict}, which says so
     * and that the page {@code back} shows it as it is now. A 401 and everything else go on to {@code ErrorAdvice}.
     */
    public static Mono<String> unlessRefused(Mono<String> action, ServerWebExchange exchange, String back, String key) {
        return action.onErrorResume(PlatformException.Refused.class, e -> e.status() >= 400 && e.status() < 500 && e.status() != 401
                ? redirectError(exchange, back, e.preconditionFailed() ? CONFLICT : key, Problems.describe(e.problem()))
                : Mono.error(e));
    }

    /**
     * Nothing is put when another token signed in while the action was under way ({@link RequestSignIn#stillHeld}): the
     * message is the token's that acted, and the sign-in forgot that token's messages.
     */
    private static Mono<String> put(ServerWebExchange exchange, String location, Message message) {
        return exchange.getSession()
                .filter(s -> RequestSignIn.stillHeld(exchange, s))
                .doOnNext(s -> s.getAttributes().put(ATTRIBUTE, message))
                .thenReturn("redirect:" + location);
    }

    @ModelAttribute("flash")
    Mono<Message> flash(ServerWebExchange exchange) {
        return take(exchange);
    }

    /**
     * Removes the message from the session for a page the browser shows (a GET for HTML, not htmx's)
     * and answers it; else nothing (a script's fetch, a favicon that fails, leaves it for the page).
     */
    public static Mono<Message> take(ServerWebExchange exchange) {
        // model attributes resolve when the view renders, so a POST would take the message it just put
        return Mono.defer(() -> Htmx.isHtmx(exchange) || exchange.getRequest().getMethod() != HttpMethod.GET || !acceptsHtml(exchange)
                ? Mono.empty()
                : exchange.getSession().flatMap(s -> Mono.justOrEmpty(remove(s))));
    }

    /** Whether the request asks for HTML; a malformed Accept header is no page (content negotiation answers it with a 406). */
    private static boolean acceptsHtml(ServerWebExchange exchange) {
        try {
            return exchange.getRequest().getHeaders().getAccept().stream().anyMatch(MediaType.TEXT_HTML::equalsTypeAndSubtype);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static Message remove(WebSession session) {
        return session.getAttributes().remove(ATTRIBUTE) instanceof Message m ? m : null;
    }
}
