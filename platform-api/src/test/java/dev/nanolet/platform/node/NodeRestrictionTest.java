package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.NodeLabels;
import dev.nanolet.wire.NodeRegistration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node chooses neither the labels that mark trusted nodes (under {@code node-restriction.nanolet.dev/},
 * the admin's alone) nor a capacity past the configured maxima: else a hostile node draws other
 * tenants' replicas, and their secrets (docs/security.md).
 */
@PlatformApiTest
class NodeRestrictionTest extends TestApiBase {
    static final String TRUSTED = NodeRegistration.RESTRICTED_LABEL_PREFIX + "tier";

    private static NodeRegistration registration(String name, Map<String, String> labels, int instances, int memoryMiB) {
        return new NodeRegistration(name, labels, new NodeRegistration.Capacity(instances, memoryMiB), "http://" + name + ":8181");
    }

    @Test
    void aNodeCannotSetARestrictedLabelNeitherAtRegistrationNorLater() {
        TestApi.Response fresh = api.bootstrap("POST", "/api/v1/nodes", registration("nr-evil", Map.of(TRUSTED, "trusted"), 4, 512));
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(403);
        assertThat(fresh.body()).contains(TRUSTED).contains("only an admin sets them").contains("PUT /api/v1/nodes/nr-evil/labels");
        assertThat(api.admin("GET", "/api/v1/nodes/nr-evil", null).status()).as("nothing was registered").isEqualTo(404);

        api.register("nr-evil", Map.of("zone", "a"), 4, 512);
        TestApi.Response again = api.as(api.credential("nr-evil"), "POST", "/api/v1/nodes",
                registration("nr-evil", Map.of("zone", "a", TRUSTED, "trusted"), 4, 512));
        assertThat(again.status()).as(again.body()).isEqualTo(403);
        assertThat(api.as(api.credential("nr-evil"), "PUT", "/api/v1/nodes/nr-evil/labels", new NodeLabels(Map.of(TRUSTED, "trusted")))
                .status()).isEqualTo(403);
        assertThat(api.get("/api/v1/nodes/nr-evil", NodeInfo.class).labels()).containsExactly(Map.entry("zone", "a"));
    }

    @Test
    void onlyTheAdminSetsRestrictedLabelsAndTheNodesReRegistrationKeepsThem() {
        api.register("nr-good", Map.of("zone", "a"), 4, 512);

        TestApi.Response set = api.admin("PUT", "/api/v1/nodes/nr-good/labels", new NodeLabels(Map.of(TRUSTED, "trusted")));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(json.readValue(set.body(), NodeInfo.class).labels()).containsOnly(Map.entry("zone", "a"), Map.entry(TRUSTED, "trusted"));

        api.register("nr-good", Map.of("zone", "b"), 4, 512);
        assertThat(api.get("/api/v1/nodes/nr-good", NodeInfo.class).labels())
                .as("the node replaces its own labels, never the admin's").containsOnly(Map.entry("zone", "b"), Map.entry(TRUSTED, "trusted"));

        TestApi.Response notRestricted = api.admin("PUT", "/api/v1/nodes/nr-good/labels", new NodeLabels(Map.of("zone", "c")));
        assertThat(notRestricted.status()).isEqualTo(422);
        assertThat(notRestricted.body()).contains("labels.zone").contains("must start with " + NodeRegistration.RESTRICTED_LABEL_PREFIX);
        assertThat(api.admin("PUT", "/api/v1/nodes/nobody/labels", new NodeLabels(Map.of(TRUSTED, "x"))).status()).isEqualTo(404);

        assertThat(api.admin("PUT", "/api/v1/nodes/nr-good/labels", new NodeLabels(Map.of())).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/nodes/nr-good", NodeInfo.class).labels()).containsOnly(Map.entry("zone", "b"));
    }

    /**
     * A mistyped body ({@code {}}, a misspelt field, {@code null}) must not read as "remove them all" and
     * strip the node of its trust: 4xx, the labels kept; {@code {"labels":{}}} is the explicit way.
     */
    @Test
    void aRelabelWithoutLabelsIsRefusedAndKeepsThem() {
        api.register("nr-typo", Map.of("zone", "a"), 4, 512);
        assertThat(api.admin("PUT", "/api/v1/nodes/nr-typo/labels", new NodeLabels(Map.of(TRUSTED, "trusted"))).status()).isEqualTo(200);

        for (String body : new String[] {"{}", "{\"label\":{\"" + TRUSTED + "\":\"other\"}}", "{\"labels\":null}"}) {
            TestApi.Response r = api.admin("PUT", "/api/v1/nodes/nr-typo/labels", body);
            assertThat(r.status()).as(body + ": " + r.body()).isEqualTo(422);
            assertThat(r.body()).contains("\"field\":\"labels\"").contains("is required");
        }
        TestApi.Response nullBody = api.admin("PUT", "/api/v1/nodes/nr-typo/labels", "null");
        assertThat(nullBody.status()).as(nullBody.body()).isBetween(400, 422);
        assertThat(api.get("/api/v1/nodes/nr-typo", NodeInfo.class).labels()).containsOnly(Map.entry("zone", "a"), Map.entry(TRUSTED, "trusted"));

        assertThat(api.admin("PUT", "/api/v1/nodes/nr-typo/labels", "{\"labels\":{}}").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/nodes/nr-typo", NodeInfo.class).labels()).containsOnly(Map.entry("zone", "a"));
    }

    /**
     * A node registered before credentials is claimed by any bootstrap-token holder: the admin's labels on
     * it are dropped at the claim (a warning event says so), so the claimant does not inherit the trust.
     */
    @Test
    void aNodeNameClaimedWithTheBootstrapTokenLosesItsRestrictedLabels() {
        jdbc.sql("INSERT INTO nodes (name, capacity_instances, capacity_memory_mib, address) VALUES ('nr-legacy', 4, 512, 'http://nr-legacy:8181')")
                .update();
        TestApi.Response set = api.admin("PUT", "/api/v1/nodes/nr-legacy/labels", new NodeLabels(Map.of(TRUSTED, "trusted")));
        assertThat(set.status()).as(set.body()).isEqualTo(200);

        api.bootstrapRegister(registration("nr-legacy", Map.of("zone", "a"), 4, 512));

        assertThat(api.get("/api/v1/nodes/nr-legacy", NodeInfo.class).labels()).containsOnly(Map.entry("zone", "a"));
        assertThat(jdbc.sql("SELECT message FROM events WHERE reason = 'RestrictedLabelsDropped' AND node_name = 'nr-legacy'")
                .query(String.class).list()).singleElement().asString().contains(TRUSTED).contains("PUT /api/v1/nodes/nr-legacy/labels");
    }

    @Test
    void aNodeClaimsAtMostTheConfiguredCapacity() {
        TestApi.Response huge = api.bootstrap("POST", "/api/v1/nodes", registration("nr-huge", Map.of(), Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertThat(huge.status()).as(huge.body()).isEqualTo(422);
        assertThat(huge.body()).contains("capacity.instances").contains("must be at most 512")
                .contains("capacity.memoryMiB").contains("must be at most 262144");
        assertThat(huge.body()).as("an honest big node learns what to raise")
                .contains("NANOLET_NODES_MAX_CAPACITY_INSTANCES raised on platform-api")
                .contains("NANOLET_NODES_MAX_CAPACITY_MEMORY_MIB raised on platform-api");

        api.register("nr-big", Map.of(), 512, 262144);
        TestApi.Response grown = api.as(api.credential("nr-big"), "POST", "/api/v1/nodes", registration("nr-big", Map.of(), 513, 262144));
        assertThat(grown.status()).as(grown.body()).isEqualTo(422);
        assertThat(api.get("/api/v1/nodes/nr-big", NodeInfo.class).capacity()).isEqualTo(new NodeRegistration.Capacity(512, 262144));
    }
}
