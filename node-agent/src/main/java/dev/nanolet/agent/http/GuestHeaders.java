package dev.nanolet.agent.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which of a module's CGI response fields go on to the client: all but the fields nodes send one
 * another. Every field whose name starts with {@value #NODE_PREFIX} is the node's ({@link
 * Forwarder#FORWARDED}, {@link Forwarder#NO_ROUTE}): a module's {@code X-Nanolet-No-Route} would
 * make the node that forwarded the request take the module's 404 for a route table out of date,
 * answer 502 and fetch the table from platform-api, on every such request.
 */
final class GuestHeaders {

    static final String NODE_PREFIX = "x-nanolet-";

    private GuestHeaders() {}

    /** The fields of {@code fields} (a module's, in order) that the client may see, in order. */
    static List<Map.Entry<String, String>> toClient(List<Map.Entry<String, String>> fields) {
        return fields.stream().filter(f -> !f.getKey().toLowerCase(Locale.ROOT).startsWith(NODE_PREFIX)).toList();
    }
}
