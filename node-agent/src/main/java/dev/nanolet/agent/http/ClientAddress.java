package dev.nanolet.agent.http;

import java.util.Optional;
import org.springframework.web.reactive.function.server.ServerRequest;

/** The address of the peer a request came from: CGI's {@code REMOTE_ADDR} and the forwarded {@code X-Forwarded-For}. */
final class ClientAddress {

    private ClientAddress() {}

    /** The peer's IP address as text (its host string when unresolved); empty when the connection has none. */
    static Optional<String> of(ServerRequest req) {
        return req.remoteAddress().map(a -> a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress());
    }
}
