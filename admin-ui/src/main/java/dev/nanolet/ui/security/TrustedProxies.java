package dev.nanolet.ui.security;

import dev.nanolet.wire.Cidr;
import dev.nanolet.wire.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Who a request's client is, for security decisions (the sign-in throttle): the connection's peer, unless the peer
 * is one of the reverse proxies an operator trusts (docs/security.md, "Dashboard"). Then the client is found as
 * nginx's {@code real_ip_recursive} finds it: {@code X-Forwarded-For} (its lines in order, as one list) read from
 * the right, skipping trusted addresses; the first untrusted address is the client. An entry that is no
 * {@linkplain IpLiteral IP literal} (a name, {@code unknown}, a port, brackets) ends the walk at the last trusted hop,
 * and so does the {@value #MAX_HOPS}th entry, so a long header costs no more. {@code Forwarded} (RFC 7239) is never
 * read: the proxy must append to {@code X-Forwarded-For}, as nginx's {@code $proxy_add_x_forwarded_for} and
 * ingress-nginx do. A peer that is no trusted proxy cannot make itself anyone else: its headers are never read.
 *
 * <p>Bound from {@code nanolet.ui.trusted-proxies}, env {@code NANOLET_UI_TRUSTED_PROXIES}: the proxies' networks
 * in CIDR notation or single addresses, comma-separated; none by default, and then no header is ever read.
 */
@ConfigurationProperties("nanolet.ui")
final class TrustedProxies {
    /** The most {@code X-Forwarded-For} entries read: more proxies than any real chain has. */
    static final int MAX_HOPS = 16;
    static final String SETTING = "NANOLET_UI_TRUSTED_PROXIES";
    private static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private final List<Cidr> networks;

    /** @throws IllegalArgumentException naming the first entry that is no network, which stops the start */
    TrustedProxies(List<String> trustedProxies) {
        networks = trustedProxies == null ? List.of()
                : trustedProxies.stream().map(String::strip).filter(p -> !p.isEmpty()).map(p -> Cidr.parse(SETTING, p)).toList();
    }

    /** The client of {@code request}, or empty if the connection has no peer address. */
    Optional<InetAddress> client(ServerHttpRequest request) {
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null || peer.getAddress() == null) {
            return Optional.empty();
        }
        InetAddress hop = peer.getAddress();
        if (!trusts(peer)) {
            return Optional.of(hop);
        }
        List<String> lines = request.getHeaders().getOrEmpty(X_FORWARDED_FOR);
        int read = 0;
        for (int l = lines.size() - 1; l >= 0; l--) {
            String line = lines.get(l);
            for (int end = line.length(); end >= 0; ) {
                int comma = line.lastIndexOf(',', end - 1);
                Optional<InetAddress> entry = ++read > MAX_HOPS || end - comma - 1 > IpLiteral.MAX_LENGTH + 2
                        ? Optional.empty() : IpLiteral.parse(line.substring(comma + 1, end).strip());
                if (entry.isEmpty()) {
                    return Optional.of(hop);
                }
                if (!trusted(entry.get())) {
                    return entry;
                }
                hop = entry.get();
                end = comma;
            }
        }
        return Optional.of(hop);
    }

    /** Whether {@code peer} is one of the trusted proxies ({@code null}, or an unresolved address, is not). */
    boolean trusts(InetSocketAddress peer) {
        return peer != null && peer.getAddress() != null && trusted(peer.getAddress());
    }

    private boolean trusted(InetAddress address) {
        return networks.stream().anyMatch(network -> network.contains(address));
    }
}
