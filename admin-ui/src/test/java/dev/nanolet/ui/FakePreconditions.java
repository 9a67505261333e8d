package dev.nanolet.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * platform-api's conditional writes (its {@code Precondition} and {@code EntityTags}) as the fake speaks them: {@code If-Match}
 * holds when the object exists and, unless {@code *}, is at a listed version (a weak tag never matches);
 * {@code If-None-Match} when it does not exist ({@code *}) or is at none of the listed versions; a malformed field is 400,
 * a condition that fails 412 naming the current {@code resourceVersion} in its detail and as the problem's member, as
 * platform-api does, and nothing is written.
 */
final class FakePreconditions {
    private static final Pattern ELEMENT = Pattern.compile("\\G[ \\t]*(?:(W/)?\"([\\x21\\x23-\\x7E\\x80-\\xFF]*)\")?[ \\t]*(?:,|\\z)");

    private FakePreconditions() {}

    /** {@code write} when the request's conditions hold for an object now at {@code current} (null: it does not exist). */
    static Mono<ServerResponse> when(ServerRequest request, String object, String current, Mono<ServerResponse> write) {
        List<String> ifMatch = tags(request.headers().firstHeader("If-Match"), true);
        List<String> ifNoneMatch = tags(request.headers().firstHeader("If-None-Match"), false);
        if (ifMatch == null || ifNoneMatch == null) {
            return FakePlatformApi.problem(400, "If-Match/If-None-Match: must be * or a list of entity tags", List.of());
        }
        boolean holds = (ifMatch.isEmpty() || current != null && (ifMatch.contains("*") || ifMatch.contains(current)))
                && (ifNoneMatch.isEmpty() || current == null || !ifNoneMatch.contains("*") && !ifNoneMatch.contains(current));
        return holds ? write : failed(object + " is now at resourceVersion " + current
                + ", not at the one this write expected: another write came first", current);
    }

    /** platform-api's 412: a problem naming the object's {@code resourceVersion} now (null when it does not exist). */
    private static Mono<ServerResponse> failed(String detail, String current) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Precondition Failed");
        problem.put("status", 412);
        problem.put("detail", detail);
        problem.put("resourceVersion", current);
        return ServerResponse.status(412).contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(problem);
    }

    /** The versions a field names ({@code *} as itself), empty when absent, null when malformed. */
    private static List<String> tags(String value, boolean strong) {
        List<String> out = new ArrayList<>();
        if (value == null || value.strip().equals("*")) {
            return value == null ? out : List.of("*");
        }
        Matcher m = ELEMENT.matcher(value);
        int end = 0;
        boolean any = false;
        while (end < value.length() && m.find()) {
            if (m.group(2) != null) {
                any = true;
                out.add(strong && m.group(1) != null ? null : m.group(2)); // a weak tag in If-Match: there, but never matching
            }
            end = m.end();
        }
        return any && end == value.length() ? out : null;
    }
}
