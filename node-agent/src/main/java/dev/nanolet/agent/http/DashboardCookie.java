package dev.nanolet.agent.http;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Keeps the admin-ui's session cookie ({@link HttpProperties#dashboardCookie()}) away from modules:
 * browsers scope cookies by host, not port, so where the dashboard and a node share a host name the
 * browser sends the dashboard's session with every request to a route. This filter removes it from
 * each request's {@code Cookie} fields before anything is routed, run or forwarded, and
 * {@link #isSetBy} tells the CGI gateway which {@code Set-Cookie} of a module to refuse (a planted
 * session: fixation), nameless cookies included. Names compare without regard to case.
 */
@Component
class DashboardCookie implements WebFilter {

    private final String name;

    DashboardCookie(HttpProperties props) {
        this.name = props.dashboardCookie();
    }

    String name() {
        return name;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        List<String> cookies = exchange.getRequest().getHeaders().get(HttpHeaders.COOKIE);
        if (cookies == null || cookies.stream().noneMatch(this::mentions)) {
            return chain.filter(exchange);
        }
        List<String> kept = cookies.stream().map(this::without).filter(c -> !c.isEmpty()).toList();
        return chain.filter(exchange.mutate().request(r -> r.headers(h -> {
            h.remove(HttpHeaders.COOKIE);
            kept.forEach(c -> h.add(HttpHeaders.COOKIE, c));
        })).build());
    }

    /**
     * Whether a response field is a {@code Set-Cookie} (or {@code Set-Cookie2}) that could set the
     * dashboard's cookie: one of that name (any case, spaces around it or quoted), or a nameless one.
     * A browser stores {@code =NANOLET_SESSION=x} (or {@code NANOLET_SESSION}, without {@code =}) as a
     * cookie with an empty name (RFC 6265bis §5.6) and sends it back as its value alone, which the
     * dashboard reads as {@code NANOLET_SESSION=x}.
     */
    boolean isSetBy(String field, String value) {
        if (!field.equalsIgnoreCase(HttpHeaders.SET_COOKIE) && !field.equalsIgnoreCase("Set-Cookie2")) {
            return false;
        }
        String pair = value.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String cookie = eq < 0 ? "" : unquoted(pair.substring(0, eq).strip());
        return cookie.isEmpty() || cookie.equalsIgnoreCase(name);
    }

    private static String unquoted(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1).strip() : s;
    }

    private boolean mentions(String cookieField) {
        return Arrays.stream(cookieField.split(";")).anyMatch(this::named);
    }

    private String without(String cookieField) {
        return Arrays.stream(cookieField.split(";")).filter(pair -> !named(pair)).map(String::strip)
                .filter(pair -> !pair.isEmpty()).collect(Collectors.joining("; "));
    }

    private boolean named(String pair) {
        int eq = pair.indexOf('=');
        return (eq < 0 ? pair : pair.substring(0, eq)).strip().equalsIgnoreCase(name);
    }
}
