package dev.nanolet.ui.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.WebSessionManager;
import reactor.core.publisher.Mono;

/**
 * A request that carries the session cookie more than once is served with neither. A page on the
 * dashboard's host name (a Wasm route opened as {@code localhost:<node port>}: browsers scope
 * cookies by host name, not port) can plant its own session with
 * {@code document.cookie='NANOLET_SESSION=<its id>;path=/nodes'}; the browser then sends both
 * cookies under {@code /nodes}, the narrower path first, and Spring's session resolution takes the
 * first id it knows: the admin's requests there would run as the planter. Which of the two is the
 * admin's cannot be told from the request, so this filter invalidates neither session; it expires
 * the cookie and sends the user to sign in again ({@code /sign-in?conflict}).
 *
 * <p>The cookie is expired on the request's path and on each of its ancestors (with and without
 * a trailing slash), because a browser keeps one cookie per name, host and path and deletes only
 * the one whose path a {@code Set-Cookie} names: expiring {@code /} alone would leave the planted
 * {@code /nodes} cookie in place, the next request under {@code /nodes} would carry it alone, and
 * it would be served as the planter's session. The paths of the cookies are not sent with them,
 * but every cookie the browser sent for this request has a path that is one of these.
 *
 * <p>It runs before anything resolves the session (Spring Security's filter chain is the first).
 * The page it redirects to is served, without the cookies, when it still gets both, so that a
 * cookie this cannot expire (one planted with a {@code Domain} attribute) never makes a redirect loop.
 */
@Component
class SessionCookieConflictFilter implements WebFilter, Ordered {
    static final String CONFLICT = SecurityConfig.SIGN_IN + "?conflict";
    private final String cookie;
    private final WebSessionManager sessions;

    SessionCookieConflictFilter(@Value("${server.reactive.session.cookie.name}") String cookie, WebSessionManager sessions) {
        this.cookie = cookie;
        this.sessions = sessions;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (count(exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.COOKIE)) < 2) {
            return chain.filter(exchange);
        }
        String path = exchange.getRequest().getPath().value();
        // raw headers, not getCookies(): a new session's cookie set() there would replace them, and goes after them here
        for (String expired : ancestors(path)) {
            exchange.getResponse().getHeaders().add(HttpHeaders.SET_COOKIE,
                    ResponseCookie.from(cookie, "").path(expired).maxAge(Duration.ZERO).httpOnly(true).sameSite("Lax").build().toString());
        }
        if (path.equals(SecurityConfig.SIGN_IN) && exchange.getRequest().getMethod() == HttpMethod.GET
                && exchange.getRequest().getQueryParams().containsKey("conflict")) {
            return chain.filter(withoutSessionCookies(exchange));
        }
        return SignInRedirect.to(exchange, CONFLICT);
    }

    /**
     * The exchange as if the browser had sent no session cookie. Its session must be resolved
     * anew: the original exchange resolves it from the original request's cookies.
     */
    private ServerWebExchange withoutSessionCookies(ServerWebExchange exchange) {
        ServerHttpRequest request = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public MultiValueMap<String, HttpCookie> getCookies() {
                var others = new LinkedMultiValueMap<>(super.getCookies());
                others.remove(cookie);
                return others;
            }
        };
        return new ServerWebExchangeDecorator(exchange.mutate().request(request).build()) {
            private final Mono<WebSession> session = sessions.getSession(this).cache();

            @Override
            public Mono<WebSession> getSession() {
                return session;
            }
        };
    }

    /** How many cookies named {@link #cookie} the {@code Cookie} headers carry. */
    private long count(List<String> headers) {
        return headers.stream().flatMap(h -> Arrays.stream(h.split(";")))
                .map(String::strip).filter(c -> c.startsWith(cookie + "=")).count();
    }

    /** Every cookie path that matches {@code path} (RFC 6265, 5.1.4): {@code /}, {@code /a}, {@code /a/}, {@code /a/b}. */
    static List<String> ancestors(String path) {
        List<String> paths = new ArrayList<>();
        paths.add("/");
        for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
            paths.add(path.substring(0, slash));
            paths.add(path.substring(0, slash + 1));
        }
        if (path.length() > 1 && !path.endsWith("/")) {
            paths.add(path);
        }
        return paths;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
