package dev.nanolet.ui.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Puts {@link SignInThrottle} in front of the sign-in form's POST, before form login sends the token to
 * platform-api: an address that must wait gets {@code 429 Too Many Requests} with {@code Retry-After}
 * and the sign-in page saying for how long (the request goes on as a GET of it), and its token is never
 * checked. The client is the connection's peer address, or behind a trusted reverse proxy the address that proxy
 * saw ({@link TrustedProxies}); never a header a client can write itself. Form login's
 * handlers, {@linkplain #onFailure wrapped} and {@linkplain #onSuccess wrapped}, tell the throttle how the try ended.
 */
final class SignInThrottleFilter implements WebFilter {
    /** The exchange attribute with the wait ({@link java.time.Duration}) the sign-in page shows. */
    static final String WAIT = SignInThrottleFilter.class.getName() + ".wait";
    private static final String TRY = SignInThrottleFilter.class.getName() + ".try";
    private static final ServerWebExchangeMatcher SIGN_IN = ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, SecurityConfig.SIGN_IN);
    private final SignInThrottle throttle;
    private final TrustedProxies proxies;

    SignInThrottleFilter(SignInThrottle throttle, TrustedProxies proxies) {
        this.throttle = throttle;
        this.proxies = proxies;
    }

    /** One try of one address, ended once: by a verdict on its token, or else when the request is done. */
    private record Try(String key, AtomicBoolean ended) {
        void end(Consumer<String> outcome) {
            if (ended.compareAndSet(false, true)) {
                outcome.accept(key);
            }
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return SIGN_IN.matches(exchange).flatMap(match -> {
            if (!match.isMatch()) {
                return chain.filter(exchange);
            }
            String key = key(exchange);
            return throttle.begin(key)
                    .map(wait -> refuse(exchange, chain, wait))
                    .orElseGet(() -> {
                        Try attempt = new Try(key, new AtomicBoolean());
                        exchange.getAttributes().put(TRY, attempt);
                        return chain.filter(exchange).doFinally(signal -> attempt.end(throttle::abandoned));
                    });
        });
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, WebFilterChain chain, Duration wait) {
        long seconds = Math.max(1, wait.plusMillis(999).toSeconds());
        exchange.getResponse().setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        exchange.getAttributes().put(WAIT, Duration.ofSeconds(seconds));
        return chain.filter(exchange.mutate().request(r -> r.method(HttpMethod.GET)).build());
    }

    private String key(ServerWebExchange exchange) {
        return proxies.client(exchange.getRequest()).map(SignInThrottle::key).orElse("unknown");
    }

    /** {@code failure}, after counting a refused token (not platform-api being unreachable) against the address. */
    ServerAuthenticationFailureHandler onFailure(ServerAuthenticationFailureHandler failure) {
        return (exchange, e) -> {
            if (e instanceof BadCredentialsException && exchange.getExchange().getAttribute(TRY) instanceof Try attempt) {
                attempt.end(throttle::failed);
            }
            return failure.onAuthenticationFailure(exchange, e);
        };
    }

    /** {@code success}, after forgetting the address's failures. */
    ServerAuthenticationSuccessHandler onSuccess(ServerAuthenticationSuccessHandler success) {
        return (exchange, authentication) -> {
            if (exchange.getExchange().getAttribute(TRY) instanceof Try attempt) {
                attempt.end(throttle::succeeded);
            }
            return success.onAuthenticationSuccess(exchange, authentication);
        };
    }
}
