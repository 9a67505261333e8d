package dev.nanolet.ui.security;

import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.http.server.HttpServer;

/**
 * The scheme a request came by, which decides the session cookie's {@code Secure} attribute and whether HSTS is sent:
 * the connection's own, unless its peer is a trusted proxy ({@link TrustedProxies}); then that proxy's
 * {@code X-Forwarded-Proto} ({@code https} or {@code http}, its first value; anything else is ignored). Behind a
 * TLS-terminating Ingress the connection is plain HTTP: without this the cookie would lose {@code Secure}. Spring
 * Boot's own forwarded-header handling, which took the scheme (and the address) from any client, stays off
 * ({@code server.forward-headers-strategy=none}); the client's address is {@link TrustedProxies#client}'s business.
 */
@Component
final class ForwardedScheme implements NettyServerCustomizer {
    static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    private final TrustedProxies proxies;

    ForwardedScheme(TrustedProxies proxies) {
        this.proxies = proxies;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.forwarded((info, request) -> proxies.trusts(info.getRemoteAddress())
                ? scheme(request.headers().get(X_FORWARDED_PROTO)).map(info::withScheme).orElse(info)
                : info);
    }

    /** {@code https} or {@code http} from the header's first value, or empty for no header or anything else. */
    static Optional<String> scheme(String header) {
        if (header == null) {
            return Optional.empty();
        }
        int comma = header.indexOf(',');
        String first = (comma < 0 ? header : header.substring(0, comma)).strip().toLowerCase(Locale.ROOT);
        return first.equals("https") || first.equals("http") ? Optional.of(first) : Optional.empty();
    }
}
