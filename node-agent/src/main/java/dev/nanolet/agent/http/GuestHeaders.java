package dev.nanolet.agent.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which of a module's CGI response fields go on to the client: all but the node's own.
 * <ul>
 *   <li>The connection and the message's framing are the node's: hop-by-hop fields (RFC 9110
 *       §7.6.1, {@link HopByHop}: also any field the module's {@code Connection} names) and {@code Content-Length},
 *       which the server computes. A module's {@code Transfer-Encoding} or {@code Upgrade} would
 *       describe a connection it does not hold.
 *   <li>Every field whose name starts with {@value #NODE_PREFIX} is one nodes send one another
 *       ({@link Forwarder#FORWARDED}, {@link Forwarder#NO_ROUTE}): a module's {@code
 *       X-Nanolet-No-Route} would make the node that forwarded the request take the module's 404
 *       for a route table out of date, answer 502 and fetch the table from platform-api, on every
 *       such request.
 * </ul>
 */
final class GuestHeaders {

    static final String NODE_PREFIX = "x-nanolet-";

    private GuestHeaders() {}

    /** The fields of {@code fields} (a module's, in order) that the client may see, in order. */
    static List<Map.Entry<String, String>> toClient(List<Map.Entry<String, String>> fields) {
        Predicate<String> nodes = HopByHop.orFraming(HopByHop.named(fields.stream()
                .filter(f -> f.getKey().equalsIgnoreCase("Connection")).map(Map.Entry::getValue)));
        return fields.stream().filter(f -> !nodes.test(f.getKey())
                && !f.getKey().toLowerCase(Locale.ROOT).startsWith(NODE_PREFIX)).toList();
    }
}
