package dev.nanolet.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Every audit entry carries the id of the request that wrote it, which the answer's {@code X-Request-Id} says: the two
 * entries of a waited write (at commit, and once the wait answered otherwise) shared actor, method, path and client
 * but nothing that told them from those of another request of the same actor to the same path.
 */
@PlatformApiTest
class AuditRequestIdTest extends AuditTestBase {
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void theEntriesOfOneRequestShareItsIdAndThoseOfAnotherHaveTheirOwn() {
        String base = "/api/v1/namespaces/" + ns + "/deployments/";
        ApiClient deployer = withGrant("deployer", ns);
        Response waited = waitedPut(deployer, base + "a", "deploy-42");
        Response again = deployer.json(HttpMethod.PUT, base + "a", spec(", \"args\": [\"2\"]"));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        Response apply = post(deployer, "/api/v1/apply?wait=true&timeout=100ms", deployment("b"));
        assertThat(apply.status()).as(apply.body()).isEqualTo(422);

        String applyId = id(apply);
        assertThat(id(waited)).isEqualTo("deploy-42");
        assertThat(List.of(id(again), applyId)).allMatch(id -> id.matches(UUID)).doesNotHaveDuplicates();
        await().untilAsserted(() -> assertThat(entries("/api/v1/audit?actor=deployer-" + ns))
                .containsExactly( // newest first
                        "POST /api/v1/apply 422 " + applyId,
                        "PUT " + base + "b 422 " + applyId,
                        "PUT " + base + "b 200 " + applyId,
                        "POST /api/v1/apply 200 " + applyId, // once committed, before the wait
                        "PUT " + base + "a 200 " + id(again),
                        "PUT " + base + "a 422 deploy-42",
                        "PUT " + base + "a 201 deploy-42"));
    }

    /**
     * An id that is not 1 to 128 visible ASCII characters, or given twice, is replaced by one the server makes, which the
     * answer says and the entry holds; the client's is stored nowhere. Sent raw: an HTTP client sends none of these. A
     * control character other than a tab never reaches the API: the server refuses the request (400) before it.
     */
    @Test
    void anIdThatIsNotSaneIsReplacedNotStored() throws IOException {
        String path = "/api/v1/namespaces/" + ns + "/deployments/none";
        assertThat(ApiClient.raw(port, "DELETE " + path, "X-Request-Id: a\u0001b\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(List.of("a\u0001b", "a\u007fb", "a\u0085b", "\u00e9", "\ud83d\ude00")).noneMatch(RequestIdFilter::sane);
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("long", "X-Request-Id: " + "a".repeat(RequestIdFilter.MAX_LENGTH + 1) + "\r\n");
        sent.put("tab", "X-Request-Id: a\tb\r\n");
        sent.put("not ASCII", "X-Request-Id: caf\u00e9\r\n");
        sent.put("space", "X-Request-Id: a b\r\n");
        sent.put("empty", "X-Request-Id: \r\n");
        sent.put("twice", "X-Request-Id: a\r\nX-Request-Id: b\r\n");
        List<String> answered = new ArrayList<>();
        for (Map.Entry<String, String> header : sent.entrySet()) {
            String answer = ApiClient.raw(port, "DELETE " + path, header.getValue());
            assertThat(answer).as(header.getKey()).startsWith("HTTP/1.1 404 ");
            String id = header(answer);
            assertThat(id).as(header.getKey()).matches(UUID);
            answered.addFirst(id);
        }
        String longest = "b".repeat(RequestIdFilter.MAX_LENGTH);
        assertThat(header(ApiClient.raw(port, "DELETE " + path, "X-Request-Id: " + longest + "\r\n"))).isEqualTo(longest);
        answered.addFirst(longest);

        await().untilAsserted(() -> assertThat(admin.get("/api/v1/audit?namespace=" + ns)
                .json().path("entries").valueStream().map(e -> e.path("requestId").asString()).toList())
                .containsExactlyElementsOf(answered));
    }

    /**
     * The answers of the filters that run before the API reads a token (a path with a dot segment, 400; a request for
     * {@code /error}, 404) or that refuse it (no token, 401) say the request's id too: the id is given before any of them.
     */
    @Test
    void anAnswerRefusedBeforeTheApiSaysItsIdToo() throws IOException {
        Map<String, String> sent = Map.of(RequestIdFilter.HEADER, "refused-1");
        Response anonymous = admin.as(null).get("/api/v1/audit", sent);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(id(anonymous)).isEqualTo("refused-1");
        assertThat(id(admin.as(null).get("/error", sent))).isEqualTo("refused-1");
        String dotted = ApiClient.raw(port, "GET /api/v1/%2e%2e/audit", "X-Request-Id: refused-2\r\n");
        assertThat(dotted).startsWith("HTTP/1.1 400 ");
        assertThat(header(dotted)).isEqualTo("refused-2");
    }

    /**
     * {@code ?requestId=} lists the entries of that request alone, exactly its id (not one it starts, nor in another
     * case), with the other filters; an id no request could have is a 400 naming it, not an empty page.
     */
    @Test
    void theLogIsFilteredByOneRequestsId() {
        String path = "/api/v1/namespaces/" + ns + "/deployments/a";
        ApiClient deployer = withGrant("deployer", ns);
        waitedPut(deployer, path, "pair-1");
        for (String other : List.of("pair-12", "PAIR-1")) {
            Response r = deployer.send(HttpMethod.DELETE, path + "-none", null, null, Map.of(RequestIdFilter.HEADER, other));
            assertThat(r.status()).as(r.body()).isEqualTo(404);
        }

        await().untilAsserted(() -> assertThat(entries("/api/v1/audit?namespace=" + ns))
                .hasSize(4));
        assertThat(entries("/api/v1/audit?requestId=pair-1")).containsExactly("PUT " + path + " 422 pair-1",
                "PUT " + path + " 201 pair-1");
        assertThat(entries("/api/v1/audit?requestId=pair-1&namespace=" + ns + "&actor=deployer-" + ns + "&limit=1"))
                .containsExactly("PUT " + path + " 422 pair-1");
        assertThat(entries("/api/v1/audit?requestId=pair-1&namespace=other")).isEmpty();
        assertThat(entries("/api/v1/audit?requestId=&namespace=" + ns)).as("empty: no filter").hasSize(4);
        for (String sent : List.of("a%20b", "caf%C3%A9", "a%09b", "x".repeat(RequestIdFilter.MAX_LENGTH + 1))) {
            Response r = admin.get("/api/v1/audit?requestId=" + sent);
            assertThat(r.status()).as(sent + ": " + r.body()).isEqualTo(400);
            assertThat(r.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(r.errorFields()).as(sent).containsExactly("requestId");
        }
    }

    /**
     * {@code client}'s PUT of the deployment at {@code path} with {@code requestId}, waiting 100 ms for a rollout that cannot
     * become available: written (201), then answered 422, two entries of one request.
     */
    private Response waitedPut(ApiClient client, String path, String requestId) {
        Response waited = client.send(HttpMethod.PUT, path + "?wait=true&timeout=100ms", MediaType.APPLICATION_JSON,
                spec("").getBytes(StandardCharsets.UTF_8), Map.of(RequestIdFilter.HEADER, requestId));
        assertThat(waited.status()).as(waited.body()).isEqualTo(422);
        return waited;
    }

    private static String id(Response r) {
        return r.headers().getFirst(RequestIdFilter.HEADER);
    }

    /** The {@code X-Request-Id} of a raw answer. */
    private static String header(String answer) {
        String head = answer.substring(0, answer.indexOf("\r\n\r\n") + 2);
        String name = "\r\n" + RequestIdFilter.HEADER + ": ";
        int at = head.indexOf(name);
        assertThat(at).as(head).isNotNegative();
        return head.substring(at + name.length(), head.indexOf("\r\n", at + name.length()));
    }

    private List<String> entries(String query) {
        return entries(query, e -> e.path("requestId").asString());
    }
}
