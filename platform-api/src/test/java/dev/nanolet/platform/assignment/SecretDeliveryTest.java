package dev.nanolet.platform.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.CredentialEndedException;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.SseClient;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.platform.replica.AssignmentLog;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.AssignmentSnapshot;
import dev.nanolet.wire.NodeRegistration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;

/** Secret values reach only the node a replica is bound to, over its own credential, and are never logged in the database. */
@PlatformApiTest
class SecretDeliveryTest extends TestApiBase {
    static final String PASSWORD = "delivered-" + UUID.randomUUID();

    @Autowired AssignmentLog log;
    @Autowired AssignmentApi assignments;
    TestDeployments deployments;
    String ns;
    String a;
    String b;

    @BeforeEach
    void setUp() {
        deployments = new TestDeployments(jdbc, json);
        String id = UUID.randomUUID().toString().substring(0, 8);
        ns = "dl-" + id;
        a = "a-" + id;
        b = "b-" + id;
        api.register(a, Map.of(), 10, 4096);
        api.register(b, Map.of(), 10, 4096);
        assertThat(api.admin("PUT", "/api/v1/namespaces/" + ns + "/secrets/db",
                Map.of("data", Map.of("url", "jdbc:postgresql://db/app", "password", PASSWORD))).status()).isEqualTo(201);
    }

    long deploy(String name) {
        String module = jdbc.sql("INSERT INTO modules (digest, size, name, wasi) VALUES ('sha256:' || encode(sha256(?::bytea), 'hex'), 8, 't', true) RETURNING digest")
                .param(UUID.randomUUID().toString()).query(String.class).single();
        TestApi.Response r = api.admin("PUT", "/api/v1/namespaces/" + ns + "/deployments/" + name, Map.of(
                "module", module, "http", Map.of("path", "/" + ns + "/" + name),
                "env", Map.of("PLAIN", "p", "DB_PASSWORD", Map.of("valueFrom", Map.of("secret", "db", "key", "password"))),
                "bindings", List.of(Map.of("name", "todo", "type", "postgres", "secret", "db"))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return jdbc.sql("SELECT id FROM deployments WHERE namespace = ? AND name = ?").params(ns, name).query(Long.class).single();
    }

    AssignmentSnapshot snapshot(String caller, String node) {
        TestApi.Response r = api.as(api.credential(caller), "GET", "/api/v1/nodes/" + node + "/assignments", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return json.readValue(r.body(), AssignmentSnapshot.class);
    }

    @Test
    void theBoundNodeGetsTheValuesAndNobodyElseDoes() {
        UUID replica = deployments.bound(deploy("web"), a, "Scheduled");

        Assignment own = snapshot(a, a).replicas().getFirst();
        assertThat(own.replicaId()).isEqualTo(replica);
        assertThat(own.secrets().env()).containsExactly(Map.entry("DB_PASSWORD", PASSWORD));
        assertThat(own.secrets().bindings().get("todo")).containsEntry("password", PASSWORD)
                .containsEntry("url", "jdbc:postgresql://db/app");
        assertThat(own.spec().env()).containsExactly(Map.entry("PLAIN", "p"));
        assertThat(own.toString()).doesNotContain(PASSWORD);

        assertThat(snapshot(b, b).replicas()).isEmpty();
        assertThat(api.as(api.credential(b), "GET", "/api/v1/nodes/" + a + "/assignments", null).status()).isEqualTo(403);
        TestApi.Response asAdmin = api.admin("GET", "/api/v1/nodes/" + a + "/assignments", null);
        assertThat(asAdmin.status()).isEqualTo(200);
        assertThat(asAdmin.body()).contains(replica.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void theWatchFillsValuesAtSendTimeAndTheChangeLogNeverHoldsThem() throws InterruptedException {
        long web = deploy("web");
        try (SseClient watch = SseClient.open(api.url("/api/v1/nodes/" + a + "/assignments?watch=true"), api.credential(a), null);
                SseClient other = SseClient.open(api.url("/api/v1/nodes/" + a + "/assignments?watch=true"),
                        PlatformApiTest.ADMIN_TOKEN, null)) {
            assertThat(watch.nextChange().name()).isEqualTo("snapshot");
            assertThat(other.nextChange().name()).isEqualTo("snapshot");
            UUID replica = deployments.bound(web, a, "Scheduled");
            log.record(a, AssignmentLog.Kind.added, replica);

            SseClient.Event added = watch.poll(Duration.ofSeconds(30));
            assertThat(added.name()).isEqualTo("added");
            assertThat(json.readValue(added.data(), Assignment.class).secrets().env()).containsEntry("DB_PASSWORD", PASSWORD);
            SseClient.Event seenByAdmin = other.poll(Duration.ofSeconds(30));
            assertThat(seenByAdmin.data()).contains(replica.toString()).doesNotContain(PASSWORD);
        }
        String logged = jdbc.sql("SELECT string_agg(payload::text, ' ') FROM assignment_changes WHERE node_name = ?").param(a)
                .query(String.class).single();
        assertThat(logged).contains("DB_PASSWORD").doesNotContain(PASSWORD);
    }

    /**
     * Deleting a node revokes its credential, and the name may then be registered again with another: a watch the old
     * credential had open went on before, and sent the new node's assignments, secret values and all, to whoever held
     * the revoked credential.
     */
    @Test
    void aWatchEndsOnceItsCredentialNoLongerNamesTheNodeAndNeverCarriesTheNextHoldersSecrets() throws InterruptedException {
        long web = deploy("web");
        String revoked = api.credential(a);
        try (SseClient watch = SseClient.open(api.url("/api/v1/nodes/" + a + "/assignments?watch=true"), revoked, null)) {
            assertThat(watch.nextChange().name()).isEqualTo("snapshot");
            assertThat(api.admin("DELETE", "/api/v1/nodes/" + a, null).status()).isEqualTo(204);
            api.bootstrapRegister(new NodeRegistration(a, Map.of(), new NodeRegistration.Capacity(10, 4096), "http://" + a + ":8181"));
            assertThat(api.credential(a)).isNotEqualTo(revoked);
            UUID replica = deployments.bound(web, a, "Scheduled");
            log.record(a, AssignmentLog.Kind.added, replica);

            for (SseClient.Event e = watch.poll(Duration.ofSeconds(30)); ; e = watch.poll(Duration.ofSeconds(30))) {
                assertThat(e).as("the watch ends").isNotNull();
                assertThat(e.data()).doesNotContain(PASSWORD).doesNotContain(replica.toString());
                if (e.name().equals("end")) {
                    break;
                }
            }
        }
        await().atMost(Duration.ofSeconds(5)) // a credential found is trusted for up to a second (RecentNodeIdentities)
                .until(() -> api.as(revoked, "GET", "/api/v1/nodes/" + a + "/assignments", null).status() == 401);
    }

    /**
     * A plain read asks as a watch does: the filter lets a node's credential in on a lookup up to a second old, so the
     * controller is called here as the filter would call it in that second, after the node was deleted and its name
     * registered again with a replica bound to it; before, it answered the new holder's assignments with their values.
     */
    @Test
    void aPlainReadOnACredentialRevokedSinceItsRecentLookupIsRefusedWithoutTheNextHoldersSecrets() {
        long web = deploy("web");
        String revoked = api.credential(a);
        assertThat(api.admin("DELETE", "/api/v1/nodes/" + a, null).status()).isEqualTo(204);
        api.bootstrapRegister(new NodeRegistration(a, Map.of(), new NodeRegistration.Capacity(10, 4096), "http://" + a + ":8181"));
        deployments.bound(web, a, "Scheduled");
        var request = new MockHttpServletRequest("GET", "/api/v1/nodes/" + a + "/assignments");
        request.addHeader("Authorization", "Bearer " + revoked);
        request.setAttribute(Caller.ATTRIBUTE, new Caller.Node(a));

        assertThatThrownBy(() -> assignments.snapshot(a, request)).isInstanceOf(CredentialEndedException.class)
                .hasMessageContaining("no longer names node " + a);
        request.removeHeader("Authorization");
        request.addHeader("Authorization", "Bearer " + api.credential(a));
        assertThat(assignments.snapshot(a, request).replicas().getFirst().secrets().env()).containsEntry("DB_PASSWORD", PASSWORD);
    }
}
