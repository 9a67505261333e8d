package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.NodeAddress;
import dev.nanolet.wire.NodeCredential;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A node acts only as itself: its own credential, issued once, bound to its name, revocable (NodeRestriction). */
@PlatformApiTest
class NodeIdentityTest extends TestApiBase {
    private static NodeRegistration at(String name, String address) {
        return new NodeRegistration(name, Map.of(), new NodeRegistration.Capacity(4, 512), address);
    }

    @Test
    void aNodeCannotActForAnother() {
        api.register("id-a", Map.of(), 4, 512);
        api.register("id-b", Map.of(), 4, 512);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        UUID replica = deployments.bound(deployments.create("default", "victim", TestDeployments.http("/victim", 1)), "id-b", "Running");
        String a = api.credential("id-a");

        assertThat(api.as(a, "PUT", "/api/v1/nodes/id-b/lease", null).status()).isEqualTo(403);
        assertThat(api.as(a, "GET", "/api/v1/nodes/id-b/assignments", null).status()).isEqualTo(403);
        assertThat(api.as(a, "GET", "/api/v1/nodes/id-b/assignments?watch=true", null).status()).isEqualTo(403);
        assertThat(api.as(a, "PUT", "/api/v1/nodes/id-b/replicas/" + replica + "/status",
                new ReplicaStatusReport(ReplicaPhase.Failed, "Trap", null, null)).status()).isEqualTo(403);
        assertThat(api.as(a, "POST", "/api/v1/nodes/id-b/replicas/" + replica + "/events",
                Map.of("type", "Warning", "reason", "Forged")).status()).isEqualTo(403);
        TestApi.Response takeover = api.as(a, "POST", "/api/v1/nodes", at("id-b", "http://evil:8181"));
        assertThat(takeover.status()).as(takeover.body()).isEqualTo(403);
        assertThat(api.as(a, "PUT", "/api/v1/nodes/id-b/address", new NodeAddress("http://evil:8181")).status()).isEqualTo(403);
        assertThat(api.as(a, "DELETE", "/api/v1/nodes/id-b", null).status()).isEqualTo(403);

        assertThat(api.get("/api/v1/nodes/id-b", NodeInfo.class).address()).isEqualTo("http://id-b:8181");
        assertThat(api.report("id-b", replica, ReplicaPhase.Running).status()).isEqualTo(204);
    }

    @Test
    void aNameAlreadyHeldIsRefusedAndTheAddressChangesOnlyWithTheAdmin() {
        api.register("id-held", Map.of(), 4, 512);

        TestApi.Response again = api.bootstrap("POST", "/api/v1/nodes", at("id-held", "http://evil:8181"));
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        TestApi.Response moved = api.as(api.credential("id-held"), "POST", "/api/v1/nodes", at("id-held", "http://elsewhere:8181"));
        assertThat(moved.status()).as(moved.body()).isEqualTo(409);
        assertThat(moved.body()).contains("PUT /api/v1/nodes/id-held/address");
        assertThat(api.get("/api/v1/nodes/id-held", NodeInfo.class).address()).isEqualTo("http://id-held:8181");

        TestApi.Response byAdmin = api.admin("PUT", "/api/v1/nodes/id-held/address", new NodeAddress("http://elsewhere:8181/"));
        assertThat(byAdmin.status()).as(byAdmin.body()).isEqualTo(200);
        assertThat(api.get("/api/v1/nodes/id-held", NodeInfo.class).address()).isEqualTo("http://elsewhere:8181");
        assertThat(api.as(api.credential("id-held"), "POST", "/api/v1/nodes", at("id-held", "http://elsewhere:8181")).status()).isEqualTo(200);
        assertThat(api.admin("PUT", "/api/v1/nodes/id-held/address", new NodeAddress("http://169.254.169.254")).status()).isEqualTo(422);
    }

    @Test
    void theCredentialIsStoredOnlyAsItsHash() {
        NodeCredential issued = api.bootstrapRegister(at("id-hash", "http://id-hash:8181"));

        assertThat(issued.token()).startsWith("nlt_node_").hasSizeGreaterThan(40);
        assertThat(issued.logsToken()).isNotEqualTo(issued.token()).hasSizeGreaterThan(40);
        String row = jdbc.sql("SELECT row_to_json(n)::text FROM nodes n WHERE name = 'id-hash'").query(String.class).single();
        assertThat(row).doesNotContain(issued.token()).doesNotContain(issued.token().substring("nlt_node_".length()));
        assertThat(jdbc.sql("SELECT credential_sha256 FROM nodes WHERE name = 'id-hash'").query(byte[].class).single())
                .isEqualTo(NodeCredentials.sha256(issued.token()));
        assertThat(issued.toString()).doesNotContain(issued.token());
    }

    private static String ownCredential() {
        byte[] bits = new byte[32];
        new SecureRandom().nextBytes(bits);
        return "nlt_node_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    @Test
    void aRetryWithTheSameOwnCredentialIsAnsweredAgainAnotherIsRefused() {
        String mine = ownCredential();
        NodeRegistration registration = at("id-retry", "http://id-retry:8181").withCredential(mine);

        TestApi.Response first = api.bootstrap("POST", "/api/v1/nodes", registration);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        NodeCredential issued = json.readValue(first.body(), NodeCredential.class);
        assertThat(issued.token()).isEqualTo(mine);
        assertThat(jdbc.sql("SELECT credential_sha256 FROM nodes WHERE name = 'id-retry'").query(byte[].class).single())
                .isEqualTo(NodeCredentials.sha256(mine));
        assertThat(jdbc.sql("SELECT row_to_json(n)::text FROM nodes n WHERE name = 'id-retry'").query(String.class).single())
                .doesNotContain(mine.substring("nlt_node_".length()));

        TestApi.Response retry = api.bootstrap("POST", "/api/v1/nodes", registration);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        NodeCredential again = json.readValue(retry.body(), NodeCredential.class);
        assertThat(again.token()).isEqualTo(mine);
        assertThat(again.logsToken()).isEqualTo(issued.logsToken());

        String other = ownCredential();
        TestApi.Response taken = api.bootstrap("POST", "/api/v1/nodes", registration.withCredential(other));
        assertThat(taken.status()).as(taken.body()).isEqualTo(409);
        assertThat(taken.body()).doesNotContain(mine);
        assertThat(api.as(other, "PUT", "/api/v1/nodes/id-retry/lease", null).status()).isEqualTo(401);
        assertThat(api.as(mine, "PUT", "/api/v1/nodes/id-retry/lease", null).status()).isEqualTo(200);
        TestApi.Response sameCredentialOtherName = api.bootstrap("POST", "/api/v1/nodes", at("id-retry-2", "http://id-retry-2:8181")
                .withCredential(mine));
        assertThat(sameCredentialOtherName.status()).as(sameCredentialOtherName.body()).isEqualTo(409);
        assertThat(api.as("nlt_node_guess", "POST", "/api/v1/nodes", registration).status()).isEqualTo(401);
        assertThat(api.as(mine, "POST", "/api/v1/nodes", at("id-retry-2", "http://id-retry-2:8181")).status()).isEqualTo(403);

        assertThat(api.admin("DELETE", "/api/v1/nodes/id-retry", null).status()).isEqualTo(204);
        // used a moment ago, so this instance may trust it for the rest of a second (docs/security.md); generous for a loaded machine
        await().atMost(Duration.ofSeconds(5)).until(() -> api.as(mine, "PUT", "/api/v1/nodes/id-retry/lease", null).status() == 401);
    }

    @Test
    void anOwnCredentialMustBe256RandomBitsWithThePrefix() {
        for (String bad : List.of("", "nlt_node_", "nlt_node_short", "x" + ownCredential().substring(1),
                ownCredential() + "A", ownCredential().substring(0, 51) + "+")) {
            TestApi.Response r = api.bootstrap("POST", "/api/v1/nodes", at("id-weak", "http://id-weak:8181").withCredential(bad));
            assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(422);
            assertThat(r.body()).contains("\"field\":\"credential\"");
        }
        assertThat(api.admin("GET", "/api/v1/nodes/id-weak", null).status()).isEqualTo(404);
    }

    @Test
    void deletingANodeRevokesItsCredentialRemovesItsReplicasAndFreesTheName() {
        api.register("id-gone", Map.of(), 4, 512);
        String old = api.credential("id-gone");
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long deployment = deployments.create("default", "on-gone", TestDeployments.http("/on-gone", 1));
        deployments.bound(deployment, "id-gone", "Running");

        assertThat(api.admin("DELETE", "/api/v1/nodes/id-gone", null).status()).isEqualTo(204);

        assertThat(api.as(old, "PUT", "/api/v1/nodes/id-gone/lease", null).status()).isEqualTo(401);
        assertThat(jdbc.sql("SELECT count(*) FROM replicas WHERE deployment_id = ?").param(deployment).query(Integer.class).single()).isZero();
        assertThat(api.admin("DELETE", "/api/v1/nodes/id-gone", null).status()).isEqualTo(404);
        NodeCredential fresh = api.bootstrapRegister(at("id-gone", "http://id-gone:8181"));
        assertThat(fresh.token()).isNotEqualTo(old);
        assertThat(api.as(fresh.token(), "PUT", "/api/v1/nodes/id-gone/lease", null).status()).isEqualTo(200);
    }

    @Test
    void aNodeRegisteredBeforeCredentialsIsClaimedOnceByBootstrap() {
        jdbc.sql("INSERT INTO nodes (name, capacity_instances, capacity_memory_mib, address) VALUES ('id-old', 1, 64, 'http://id-old:8181')").update();

        api.bootstrapRegister(at("id-old", "http://id-old:8181"));

        assertThat(api.bootstrap("POST", "/api/v1/nodes", at("id-old", "http://id-old:8181")).status()).isEqualTo(409);
    }

    @Test
    void addressesAreSchemeHostAndPortOnlyAndNeverLinkLocalOrMetadata() {
        for (String bad : List.of("http://169.254.169.254", "http://169.254.169.254:80/latest/meta-data", "http://[fe80::1]:8181",
                "http://metadata.google.internal", "http://100.100.100.200", "http://0.0.0.0:8181", "http://u:p@host:8181",
                "http://host:8181/path", "http://host:8181?q=1", "http://host:8181#frag", "http://2852039166:8181",
                "http://[::ffff:169.254.169.254]:80", "file:///etc/passwd", "http://host_name:8181", "http://999.1.1.1:80")) {
            TestApi.Response r = api.bootstrap("POST", "/api/v1/nodes", at("id-addr", bad));
            assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(422);
            assertThat(r.body()).contains("\"field\":\"address\"");
        }
        for (String good : List.of("http://10.0.0.1:8181", "https://node-1.example:443", "http://127.0.0.1:8181/", "http://[::1]:8181")) {
            String name = "id-ok-" + Math.abs(good.hashCode());
            TestApi.Response r = api.bootstrap("POST", "/api/v1/nodes", at(name, good));
            assertThat(r.status()).as(good + ": " + r.body()).isEqualTo(201);
        }
    }
}
