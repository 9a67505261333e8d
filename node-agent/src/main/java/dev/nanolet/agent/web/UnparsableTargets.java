package dev.nanolet.agent.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HexFormat;
import org.reactivestreams.Publisher;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request whose target is no URI (a literal {@code \}, a broken escape such as {@code %zz} or a lone {@code %})
 * with 400 problem+json, like the node's other 4xx. Spring's HTTP adapter cannot make such a request its
 * {@code ServerHttpRequest} and answered it itself, before any filter or {@link NodeErrors}: a bare 400 without body.
 * Spring Boot puts the Spring handler after every {@link NettyRouteProvider}'s routes, so this route sees the request
 * first, and Reactor Netty answers it as it answers any other (keep-alive, pipelined requests).
 *
 * <p>A target is checked as Spring parses it: what Spring writes behind the request's scheme and host
 * ({@link #requestUri}), parsed behind a scheme and host. That is a target in origin form (starting with {@code /}, what
 * every client but a proxy sends) whole, of one in absolute form ({@code http://host/a?q}, what a client sends a proxy)
 * what follows its authority, and a target in any other form ({@code http:/host/a}, {@code *}, {@code host/a}) whole too.
 */
@Component
class UnparsableTargets implements NettyRouteProvider {

    /** The ASCII characters {@link URI} takes anywhere in a path and in a query (RFC 2396 §3.3, §3.4: unreserved, and the reserved a path holds). */
    private static final boolean[] PLAIN = new boolean[128];

    static {
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()/?:@&=+$,;".chars().forEach(c -> PLAIN[c] = true);
    }

    private final JsonMapper json;

    UnparsableTargets(JsonMapper json) {
        this.json = json;
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        return routes.route(req -> unparsable(req.uri()), this::refuse);
    }

    /**
     * Whether {@code target}, in any form, fails the parse Spring makes. It is parsed only if what Spring keeps of it holds
     * a character outside {@link #PLAIN} or a {@code %} not followed by two hex digits: what nearly every request's target
     * holds parses, so it is passed on without a URI built and thrown away on the data plane's path.
     */
    static boolean unparsable(String target) {
        String requestUri = requestUri(target);
        if (plain(requestUri)) {
            return false;
        }
        try {
            new URI("http://localhost" + requestUri);
            return false;
        } catch (URISyntaxException e) {
            return true;
        }
    }

    /**
     * What Spring puts behind the request's scheme and host ({@code ReactorUriHelper}): of a target in absolute form (a
     * {@code ://} before any {@code /}, {@code ?} or {@code #}) what follows its authority, from the first of those on
     * (nothing if none follows); any other target whole. Behind a host, a target that does not start with {@code /} runs on
     * into the authority, where a character the authority does not take fails the parse as it does for Spring.
     */
    static String requestUri(String target) {
        if (target.startsWith("/")) {
            return target;
        }
        int scheme = target.indexOf("://");
        if (scheme < 0 || pathStart(target, 0) < scheme) {
            return target;
        }
        return target.substring(pathStart(target, scheme + 3));
    }

    /** The index of the first {@code /}, {@code ?} or {@code #} of {@code target} from {@code from} on; its length if none. */
    private static int pathStart(String target, int from) {
        int i = from;
        while (i < target.length() && "/?#".indexOf(target.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    private static boolean plain(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            boolean escape = c == '%' && i + 2 < target.length()
                    && HexFormat.isHexDigit(target.charAt(i + 1)) && HexFormat.isHexDigit(target.charAt(i + 2));
            if (escape) {
                i += 2;
            } else if (c >= PLAIN.length || !PLAIN[c]) {
                return false;
            }
        }
        return true;
    }

    private Publisher<Void> refuse(HttpServerRequest req, HttpServerResponse res) {
        HttpStatus status = HttpStatus.BAD_REQUEST;
        byte[] problem = json.writeValueAsBytes(Problems.problem(status,
                "the request target is not a URI (a literal \\, a broken %-escape or another character no URI holds)", null));
        return res.status(status.value()).header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                .sendByteArray(Mono.just(problem));
    }
}
