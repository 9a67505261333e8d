package dev.nanolet.ui.security;

import org.springframework.core.Ordered;
import org.springframework.http.codec.multipart.Part;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A multipart form whose parts Spring cannot read is the client's mistake, a 400: a script can send a part's
 * {@code filename*=UTF-8''%ZZ.wasm} (an escape that is not hex) or a charset no one knows, which Spring's reader
 * throws on as an {@link IllegalArgumentException}, and the first to read the parts is the CSRF check
 * ({@code SecurityConfig} reads the token of uploads from their parts), where no controller advice answers: a 500.
 * Runs before Spring Security's chain, so that the check, and the upload's controller, read through it.
 */
@Component
class MalformedMultipart implements WebFilter, Ordered {
    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(new ServerWebExchangeDecorator(exchange) {
            @Override
            public Mono<MultiValueMap<String, Part>> getMultipartData() {
                return super.getMultipartData().onErrorMap(IllegalArgumentException.class,
                        e -> new ServerWebInputException("The form's multipart body cannot be read: " + e.getMessage(), null, e));
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
