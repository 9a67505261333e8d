package dev.nanolet.ui.security;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
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
 * <p>Cookies are counted as Spring reads them (Reactor Netty's parser, which skips a {@code ,}
 * between cookies): {@code document.cookie=',NANOLET_SESSION=…;path=/nodes'} is stored as
 * {@code ,NANOLET_SESSION} but read as {@code NANOLET_SESSION}, so it is expired under its stored
 * name too. The expiry headers are capped (path depth, names), since any client can ask for them.
 *
 * <p>It runs before anything resolves the session (Spring Security's filter chain is the first).
 * The page it redirects to is served, without the cookies, when it still gets both, so that a
 * cookie this cannot expire (one planted with a {@code Domain} attribute) never makes a redirect loop.
 */
@Component
class SessionCookieConflictFilter implements WebFilter, Ordered {
    static final String CONFLICT = SecurityConfig.SIGN_IN + "?conflict";
    static final int MAX_SEGMENTS = 8;
    static final int MAX_PATH = 256;
    static final int MAX_NAMES = 4;
    /** The attributes of an expiry, as {@code ResponseCookie} writes them (built by hand: a stored name may hold a {@code ,}). */
    private static final String EXPIRED = "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax";
    private static final Pattern LEADING_SEPARATORS = Pattern.compile("^[\\s,;]+");
    private final String cookie;
    private final WebSessionManager sessions;

    SessionCookieConflictFilter(@Value("${server.reactive.session.cookie.name}") String cookie, WebSessionManager sessions) {
        this.cookie = cookie;
        this.sessions = sessions;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        // the parser Spring resolves the session with: Netty skips ',' between cookies, a split on ';' would not
        if (exchange.getRequest().getCookies().getOrDefault(cookie, List.of()).size() < 2) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> {
            String path = exchange.getRequest().getPath().value();
            // raw headers, not getCookies(): a new session's cookie set() there would replace them, and goes after them here
            for (String name : storedNames(exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.COOKIE))) {
                for (String expired : ancestors(path)) {
                    exchange.getResponse().getHeaders().add(HttpHeaders.SET_COOKIE, name + "=; Path=" + expired + EXPIRED);
                }
            }
            if (path.equals(SecurityConfig.SIGN_IN) && exchange.getRequest().getMethod() == HttpMethod.GET
                    && exchange.getRequest().getQueryParams().containsKey("conflict")) {
                return chain.filter(withoutSessionCookies(exchange));
            }
            return SignInRedirect.to(exchange, CONFLICT);
        });
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

    /**
     * The names under which the browser stores the cookies that Netty reads as {@link #cookie}: the
     * name itself, and any that only leading whitespace, {@code ,} or {@code ;} sets apart from it
     * ({@code document.cookie=',NANOLET_SESSION=…'} is stored as {@code ,NANOLET_SESSION}). At most
     * {@link #MAX_NAMES}, so that a request cannot multiply the expiry headers.
     */
    private Set<String> storedNames(List<String> headers) {
        Set<String> names = new LinkedHashSet<>();
        names.add(cookie);
        headers.stream().flatMap(h -> Arrays.stream(h.split(";")))
                .map(c -> c.strip().split("=", 2)[0].strip())
                .filter(n -> LEADING_SEPARATORS.matcher(n).replaceFirst("").equals(cookie))
                .forEach(n -> {
                    if (names.size() < MAX_NAMES) {
                        names.add(n);
                    }
                });
        return names;
    }

    /**
     * Every cookie path that matches {@code path} (RFC 6265, 5.1.4): {@code /}, {@code /a}, {@code /a/},
     * {@code /a/b}, once each. The path ends at its first {@code ;} (a cookie path cannot hold one);
     * ancestors a cookie path cannot be (non-ASCII, control characters) are left out; only the first
     * {@link #MAX_SEGMENTS} segments within {@link #MAX_PATH} characters are expired, so that the
     * response stays small whatever the path: a cookie planted deeper stays until a request under its path.
     */
    static Set<String> ancestors(String requested) {
        int semicolon = requested.indexOf(';');
        String path = semicolon < 0 ? requested : requested.substring(0, semicolon);
        Set<String> paths = new LinkedHashSet<>();
        paths.add("/");
        int segments = 0;
        for (int slash = path.indexOf('/', 1); slash > 0 && segments < MAX_SEGMENTS && slash < MAX_PATH; slash = path.indexOf('/', slash + 1)) {
            addIfValid(paths, path.substring(0, slash));
            addIfValid(paths, path.substring(0, slash + 1));
            segments++;
        }
        if (segments < MAX_SEGMENTS && path.length() <= MAX_PATH && path.length() > 1 && !path.endsWith("/")) {
            addIfValid(paths, path);
        }
        return paths;
    }

    /** As {@code ResponseCookie}'s check of a path: visible ASCII and space, no {@code ;}. */
    private static void addIfValid(Set<String> paths, String path) {
        if (path.chars().allMatch(c -> c >= 0x20 && c <= 0x7E && c != ';')) {
            paths.add(path);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
