package dev.nanolet.platform.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.testsupport.fuzz.FuzzSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Malformed JSON, hostile bodies and oversized headers on every endpoint platform-api has, read
 * from Spring's {@link RequestMappingHandlerMapping} so that a new endpoint is covered without a
 * change here: never a 5xx, every 4xx is problem+json without a Java exception's text, and the
 * database is unchanged (row counts of every table).
 */
@PlatformApiTest
class EndpointFuzzTest {
    static final int BASE_BODIES = 12;
    private static final Pattern VARIABLE = Pattern.compile("\\{(\\w+)[^}]*}");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;

    /** Every (method, path) with its path variables filled in. */
    private List<String[]> endpoints() {
        Set<String> out = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (pattern.startsWith("/error")) {
                    continue;
                }
                for (RequestMethod m : methods.isEmpty() ? Set.of(RequestMethod.GET, RequestMethod.POST) : methods) {
                    out.add(m.name() + " " + fill(pattern));
                }
            }
        }
        return out.stream().map(s -> s.split(" ", 2)).toList();
    }

    private static String fill(String pattern) {
        Matcher m = VARIABLE.matcher(pattern);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).toLowerCase();
            String value = name.contains("digest") ? "sha256:" + "0".repeat(64)
                    : name.equals("id") || name.endsWith("id") ? UUID.nameUUIDFromBytes(name.getBytes()).toString()
                    : "fuzz";
            m.appendReplacement(sb, value);
        }
        return m.appendTail(sb).toString();
    }

    /** Hostile bodies: broken JSON, wrong types, deep nesting, huge numbers and strings, random bytes. */
    private static List<String> bodies(Random random, int extra) {
        List<String> bodies = new ArrayList<>(List.of("{", "{\"a\":", "[1,2", "\"just a string\"", "null", "{\"replicas\":\"many\"}",
                "{\"spec\":{\"replicas\":-1,\"module\":{}}}", "[".repeat(5_000) + "]".repeat(5_000),
                "{\"a\":" + "9".repeat(2_000) + "}", "{\"name\":\"" + "x".repeat(200_000) + "\"}", "\u0000\u0001\u00ff", "{\"a\":1,}"));
        for (int i = 0; i < extra; i++) {
            byte[] b = new byte[1 + random.nextInt(200)];
            random.nextBytes(b);
            bodies.add(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return bodies;
    }

    @Test
    void everyEndpointAnswersHostileInputWithAProblemAndChangesNothing() {
        FuzzSettings fuzz = FuzzSettings.fromSystemProperties();
        System.out.println("EndpointFuzzTest: " + fuzz.replay());
        List<String[]> endpoints = endpoints();
        assertThat(endpoints).as("endpoints found").hasSizeGreaterThan(10);
        Map<String, Integer> before = rowCounts();
        List<String> bodies = bodies(new Random(fuzz.seed()), fuzz.cases(BASE_BODIES));
        List<String> failures = new ArrayList<>();

        for (String[] e : endpoints) {
            for (String token : List.of(PlatformApiTest.ADMIN_TOKEN, PlatformApiTest.NODE_TOKEN)) {
                if (!e[0].equals("GET") && !e[0].equals("DELETE")) {
                    for (String body : bodies) {
                        check(failures, e, token, Map.of("Content-Type", "application/json"), body);
                    }
                }
                check(failures, e, token, Map.of("X-Fuzz", "x".repeat(64 * 1024)), null);
                check(failures, e, token, Map.of("Content-Type", "application/json", "Accept", "text/event-stream, */*;q=0.1"), "{");
            }
        }

        assertThat(failures).as("%d endpoints, replay with %s", endpoints.size(), fuzz.replay()).isEmpty();
        assertThat(rowCounts()).as("rows per table").isEqualTo(before);
    }

    private void check(List<String> failures, String[] endpoint, String token, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + endpoint[1]))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token)
                .method(endpoint[0], body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String problem = Problems.check(r);
            if (problem != null) {
                failures.add(String.join(" ", endpoint) + " (" + describe(headers, body) + "): " + problem);
            }
        } catch (IOException e) {
            failures.add(String.join(" ", endpoint) + " (" + describe(headers, body) + "): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Map<String, String> headers, String body) {
        String h = headers.entrySet().stream().map(e -> e.getKey() + ": " + (e.getValue().length() > 40 ? e.getValue().length() + " chars" : e.getValue()))
                .toList().toString();
        return h + (body == null ? "" : " body " + (body.length() > 40 ? body.substring(0, 40) + "… (" + body.length() + " chars)" : body));
    }

    /** Rows per table of the platform's state; the audit log is left out: recording refused writes is its job. */
    private Map<String, Integer> rowCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String table : jdbc.sql("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                        + " AND tablename NOT IN ('flyway_schema_history', 'audit_log')")
                .query(String.class).list()) {
            counts.put(table, jdbc.sql("SELECT count(*) FROM \"" + table + "\"").query(Integer.class).single());
        }
        return counts;
    }
}
