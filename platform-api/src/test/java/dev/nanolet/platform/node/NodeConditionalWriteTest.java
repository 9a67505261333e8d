package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.wire.NodeRegistration;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Two admins changing one node (its restricted labels, its address) cannot silently overwrite each other: every
 * answer that shows a node carries its ETag, which changes with its labels, address and capacity but not with its
 * lease, and a change whose If-Match no longer holds is 412 and writes nothing.
 */
@PlatformApiTest
class NodeConditionalWriteTest extends TestApiBase {
    static final String TRUSTED = NodeRegistration.RESTRICTED_LABEL_PREFIX + "tier";
    @Autowired
    DataSource dataSource;
    ApiClient admin;

    @BeforeEach
    void admin() {
        admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
    }

    Response put(String path, String json, Map<String, String> headers) {
        return admin.send(HttpMethod.PUT, path, MediaType.APPLICATION_JSON, json.getBytes(StandardCharsets.UTF_8), headers);
    }

    Response relabel(String node, String tier, Map<String, String> headers) {
        return put("/api/v1/nodes/" + node + "/labels", "{\"labels\":{\"" + TRUSTED + "\":\"" + tier + "\"}}", headers);
    }

    Response move(String node, String address, Map<String, String> headers) {
        return put("/api/v1/nodes/" + node + "/address", "{\"address\":\"" + address + "\"}", headers);
    }

    Response delete(String node, Map<String, String> headers) {
        return admin.send(HttpMethod.DELETE, "/api/v1/nodes/" + node, null, null, headers);
    }

    String etag(String node) {
        Response read = admin.get("/api/v1/nodes/" + node);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.headers().getETag()).isEqualTo("\"" + read.json().path("resourceVersion").asString() + "\"");
        return read.headers().getETag();
    }

    @Test
    void theETagChangesWithWhatAnAdminOrTheNodeWritesButNotWithItsLease() {
        String answered = api.register("cw-a", Map.of("zone", "a"), 4, 512).resourceVersion();
        String registered = etag("cw-a");
        assertThat(registered).as("the registration's answer shows the stored node").isEqualTo("\"" + answered + "\"");
        assertThat(admin.get("/api/v1/nodes").json().valueStream().filter(n -> n.path("name").asString().equals("cw-a"))
                .map(n -> "\"" + n.path("resourceVersion").asString() + "\"")).containsExactly(registered);

        assertThat(api.node("PUT", "/api/v1/nodes/cw-a/lease", null).status()).isEqualTo(200);
        api.register("cw-a", Map.of("zone", "a"), 4, 512);
        assertThat(put("/api/v1/nodes/cw-a/labels", "{\"labels\":{}}", Map.of()).status()).isEqualTo(200);
        assertThat(etag("cw-a")).as("a renewal, a re-registration and a relabel that change nothing").isEqualTo(registered);

        Response relabeled = relabel("cw-a", "trusted", Map.of());
        assertThat(relabeled.headers().getETag()).isNotEqualTo(registered).isEqualTo(etag("cw-a"));
        api.register("cw-a", Map.of("zone", "b"), 4, 512);
        String reregistered = etag("cw-a");
        assertThat(reregistered).as("the node's own labels are shown too").isNotEqualTo(relabeled.headers().getETag());
        Response moved = move("cw-a", "http://10.0.0.9:8181", Map.of());
        assertThat(moved.headers().getETag()).isNotIn(registered, relabeled.headers().getETag(), reregistered).isEqualTo(etag("cw-a"));
    }

    @Test
    void aChangeFromAStaleVersionIsRefusedAndWritesNothing() {
        api.register("cw-b", Map.of(), 4, 512);
        String seen = etag("cw-b");
        assertThat(relabel("cw-b", "one", Map.of("If-Match", seen)).status()).isEqualTo(200);
        String now = etag("cw-b");

        Response labels = relabel("cw-b", "two", Map.of("If-Match", seen));
        Response address = move("cw-b", "http://10.0.0.9:8181", Map.of("If-Match", seen));
        for (Response refused : new Response[] {labels, address}) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(412);
            assertThat(refused.headers().getContentType()).hasToString("application/problem+json");
            assertThat(refused.body()).contains("node cw-b is now at resourceVersion");
            assertThat("\"" + refused.json().path("resourceVersion").asString() + "\"").isEqualTo(now);
        }
        Response shown = admin.get("/api/v1/nodes/cw-b");
        assertThat(shown.json().path("labels").path(TRUSTED).asString()).isEqualTo("one");
        assertThat(shown.json().path("address").asString()).isEqualTo("http://cw-b:8181");
        assertThat(etag("cw-b")).isEqualTo(now);

        assertThat(relabel("cw-b", "two", Map.of("If-Match", "W/" + now)).status()).as("a weak tag never matches").isEqualTo(412);
        assertThat(relabel("cw-b", "two", Map.of("If-None-Match", "*")).status()).isEqualTo(412);
        assertThat(relabel("cw-b", "two", Map.of("If-Match", "42")).status()).as("not an entity tag").isEqualTo(400);
        assertThat(relabel("cw-nobody", "two", Map.of("If-Match", now)).status()).isEqualTo(404);
        assertThat(move("cw-b", "http://10.0.0.9:8181", Map.of("If-Match", now)).status()).isEqualTo(200);
        assertThat(relabel("cw-b", "two", Map.of()).status()).as("without a condition, as before").isEqualTo(200);
    }

    @Test
    void aDeleteFromAStaleVersionIsRefusedAndTheNodeStays() {
        api.register("cw-d", Map.of(), 4, 512);
        String seen = etag("cw-d");
        assertThat(relabel("cw-d", "one", Map.of()).status()).isEqualTo(200);
        String now = etag("cw-d");

        Response refused = delete("cw-d", Map.of("If-Match", seen));
        assertThat(refused.status()).as(refused.body()).isEqualTo(412);
        assertThat(refused.headers().getContentType()).hasToString("application/problem+json");
        assertThat("\"" + refused.json().path("resourceVersion").asString() + "\"").isEqualTo(now);
        assertThat(api.node("PUT", "/api/v1/nodes/cw-d/lease", null).status()).as("the credential is not revoked").isEqualTo(200);

        var asNode = api.as(api.credential("cw-d"), "DELETE", "/api/v1/nodes/cw-d", null);
        assertThat(asNode.status()).as("a node's credential, before any condition").isEqualTo(403);
        assertThat(delete("cw-nobody", Map.of("If-Match", now)).status()).isEqualTo(404);
        assertThat(delete("cw-d", Map.of("If-None-Match", now)).status()).isEqualTo(412);
        assertThat(delete("cw-d", Map.of("If-Match", "42")).status()).as("not an entity tag").isEqualTo(400);
        assertThat(etag("cw-d")).isEqualTo(now);

        assertThat(delete("cw-d", Map.of("If-Match", now)).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/nodes/cw-d").status()).isEqualTo(404);
    }

    /**
     * The delete waits on the node's row lock, which the test holds while it changes the node as another admin would:
     * the version is checked under the lock, so the delete sees that change and is refused.
     */
    @Test
    void aDeleteWaitingOnTheNodesLockSeesTheChangeMadeBeforeIt() throws Exception {
        api.register("cw-del-race", Map.of(), 4, 512);
        String seen = etag("cw-del-race");
        CompletableFuture<Response> deleter;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM nodes WHERE name = 'cw-del-race' FOR UPDATE")) {
                lock.execute();
            }
            deleter = CompletableFuture.supplyAsync(() -> delete("cw-del-race", Map.of("If-Match", seen)));
            await().atMost(Duration.ofSeconds(20)).until(() -> lockWaits() >= 1 || deleter.isDone());
            try (PreparedStatement move = holder.prepareStatement("UPDATE nodes SET address = 'http://10.0.0.8:8181' WHERE name = 'cw-del-race'")) {
                move.execute();
            }
            holder.commit();
        }

        assertThat(deleter.join().status()).isEqualTo(412);
        assertThat(admin.get("/api/v1/nodes/cw-del-race").json().path("address").asString()).isEqualTo("http://10.0.0.8:8181");
    }

    /** Moved by the admin, the node is refused at its old address (nothing changes) and re-registers at the new one unchanged. */
    @Test
    void aMoveAndTheNodesReRegistrationAtItsNewAddressKeepTheVersionTheAdminSaw() {
        api.register("cw-c", Map.of("zone", "a"), 4, 512);
        String moved = move("cw-c", "http://10.0.0.7:8181", Map.of("If-Match", etag("cw-c"))).headers().getETag();

        NodeRegistration at = new NodeRegistration("cw-c", Map.of("zone", "a"), new NodeRegistration.Capacity(4, 512), "http://cw-c:8181");
        assertThat(api.as(api.credential("cw-c"), "POST", "/api/v1/nodes", at).status()).isEqualTo(409);
        NodeRegistration atNew = new NodeRegistration("cw-c", Map.of("zone", "a"), new NodeRegistration.Capacity(4, 512), "http://10.0.0.7:8181");
        assertThat(api.as(api.credential("cw-c"), "POST", "/api/v1/nodes", atNew).status()).isEqualTo(200);

        assertThat(etag("cw-c")).isEqualTo(moved);
        assertThat(relabel("cw-c", "trusted", Map.of("If-Match", moved)).status()).isEqualTo(200);
    }

    /**
     * Both writers wait on the node's row lock, which the test holds, after all they do before it: a check of the
     * version made before the lock would let both through; under it, whichever writes first fails the other.
     */
    @Test
    void ofTwoAdminsWritingAtTheSameVersionExactlyOneWins() throws Exception {
        api.register("cw-race", Map.of(), 4, 512);
        String seen = etag("cw-race");
        List<CompletableFuture<Response>> writers;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM nodes WHERE name = 'cw-race' FOR UPDATE")) {
                lock.execute();
            }
            writers = List.of(CompletableFuture.supplyAsync(() -> relabel("cw-race", "alice", Map.of("If-Match", seen))),
                    CompletableFuture.supplyAsync(() -> move("cw-race", "http://10.0.0.8:8181", Map.of("If-Match", seen))));
            await().atMost(Duration.ofSeconds(20)).until(() -> lockWaits() >= 2 || writers.stream().anyMatch(CompletableFuture::isDone));
            holder.rollback();
        }

        List<Response> answers = writers.stream().map(CompletableFuture::join).toList();
        assertThat(answers).extracting(Response::status).containsExactlyInAnyOrder(200, 412);
        Response winner = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow();
        assertThat(etag("cw-race")).isEqualTo(winner.headers().getETag());
        Response now = admin.get("/api/v1/nodes/cw-race");
        assertThat(now.json().path("labels").has(TRUSTED)).as("only one of the two writes happened")
                .isNotEqualTo(now.json().path("address").asString().equals("http://10.0.0.8:8181"));
    }

    /** Sessions of the test database waiting for a lock. */
    int lockWaits() {
        return jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                .query(Integer.class).single();
    }
}
