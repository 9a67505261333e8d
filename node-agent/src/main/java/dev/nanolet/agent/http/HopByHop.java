package dev.nanolet.agent.http;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Hop-by-hop header fields (RFC 9110 §7.6.1): they describe one connection, so neither a guest (as
 * CGI variables) nor the next node (when forwarding) may see them. They are the fields that name
 * connection handling and proxy credentials, and every field the message's own {@code Connection}
 * names ({@code Connection: close, X-Secret} makes {@code X-Secret} hop-by-hop). One definition for
 * {@link CgiEnvironment} and {@link Forwarder}, so the two paths to a guest drop the same fields, and
 * for {@link GuestHeaders}, what a guest answers.
 */
final class HopByHop {

    /** Lower case; {@code Proxy-Connection} is the pre-standard spelling some clients still send. */
    static final Set<String> FIELDS = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-authorization", "proxy-authenticate");

    private HopByHop() {}

    /** Whether a field of a message with {@code headers} is hop-by-hop, by name in any case. */
    static Predicate<String> in(Map<String, List<String>> headers) {
        return named(connection(headers));
    }

    /** Whether a field is hop-by-hop, by name in any case, in a message whose {@code Connection} fields hold {@code connection}. */
    static Predicate<String> named(Stream<String> connection) {
        Set<String> named = new HashSet<>(FIELDS);
        options(connection).forEach(option -> named.add(option.toLowerCase(Locale.ROOT)));
        return name -> named.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Whether a message with {@code headers} closes its connection: its {@code Connection} fields hold the {@code close} option. */
    static boolean closes(Map<String, List<String>> headers) {
        return options(connection(headers)).anyMatch(option -> option.equalsIgnoreCase("close"));
    }

    /** The values of the {@code Connection} fields among {@code headers}, by name in any case. */
    private static Stream<String> connection(Map<String, List<String>> headers) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("Connection")).flatMap(h -> h.getValue().stream());
    }

    /** The options that {@code Connection} field values list, comma-separated, without the whitespace around them. */
    private static Stream<String> options(Stream<String> connection) {
        return connection.flatMap(v -> Stream.of(v.split(","))).map(HttpField::stripOws);
    }

    /**
     * {@code hopByHop} or {@code Content-Length}: the fields a module's answer leaves behind, as the node frames its body
     * itself ({@link GuestHeaders}). A forwarded request and a forwarded answer keep their {@code Content-Length} and
     * leave only {@code hopByHop} behind: their bodies pass on byte for byte under the length declared ({@link Forwarder}).
     */
    static Predicate<String> orFraming(Predicate<String> hopByHop) {
        return hopByHop.or(name -> name.equalsIgnoreCase("Content-Length"));
    }
}
