package dev.nanolet.platform.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code GET /namespaces/{ns}/events} over real HTTP: a namespace's viewer reads its events, and only them. */
@PlatformApiTest
class NamespaceEventsTest extends NamespaceTestBase {
    @Autowired Events events;

    private static List<String> messages(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().valueStream().map(e -> e.path("message").asString()).toList();
    }

    @Test
    void aViewerOfANamespaceReadsItsEventsNewestFirstAndNoOtherNamespacesNorNodes() {
        String other = ns + "-b";
        events.normal("replica/" + ns + "-1", ns, "web", "n1", "Started", ns + " started");
        events.warning("replica/" + other + "-1", other, "web", "n1", "BackOff", other + " backoff");
        events.normal("node/" + ns, null, null, ns, "Registered", "node of " + ns);
        events.warning("replica/" + ns + "-1", ns, "web", "n1", "BackOff", ns + " backoff");
        ApiClient viewer = withGrant("viewer", ns);

        assertThat(messages(viewer.get("/api/v1/namespaces/" + ns + "/events"))).containsExactly(ns + " backoff", ns + " started");
        assertThat(messages(viewer.get("/api/v1/namespaces/" + ns + "/events?type=Warning"))).containsExactly(ns + " backoff");
        assertThat(messages(viewer.get("/api/v1/namespaces/" + ns + "/events?type=Normal"))).containsExactly(ns + " started");
        assertThat(messages(viewer.get("/api/v1/namespaces/" + ns + "/events?limit=1"))).containsExactly(ns + " backoff");
        JsonNode first = viewer.get("/api/v1/namespaces/" + ns + "/events").json().get(0);
        assertThat(first.path("object").asString()).isEqualTo("replica/" + ns + "-1");
        assertThat(first.path("type").asString()).isEqualTo("Warning");

        Response elsewhere = viewer.get("/api/v1/namespaces/" + other + "/events");
        assertThat(elsewhere.status()).isEqualTo(403);
        assertThat(elsewhere.json().path("detail").asString()).contains("needs role viewer in namespace " + other);
        assertThat(viewer.get("/api/v1/events").status()).isEqualTo(403);
        assertThat(messages(admin.get("/api/v1/namespaces/" + other + "/events"))).containsExactly(other + " backoff");
    }

    @Test
    void refusalsAreTheClusterListsOnes() {
        ApiClient viewer = withGrant("viewer", ns);
        for (String query : new String[] {"?type=Error", "?limit=0", "?limit=1001"}) {
            assertThat(viewer.get("/api/v1/namespaces/" + ns + "/events" + query).status()).as(query).isEqualTo(422);
            assertThat(admin.get("/api/v1/events" + query).status()).as(query).isEqualTo(422);
        }
        for (String query : new String[] {"?limit=abc", "?limit=-5", "?limit=5&limit=6", "?type=%00"}) {
            assertThat(viewer.get("/api/v1/namespaces/" + ns + "/events" + query).status()).as(query).isEqualTo(400);
        }
        assertThat(viewer.get("/api/v1/namespaces/" + ns + "/events?type=Warning").errorFields()).isEmpty();
    }

    @Test
    void aHostileNamespaceIsRefusedAsOnEveryNamespacedPath() {
        for (String bad : new String[] {"..", "%2e%2e", "a%2Fb", "%00", "%FF"}) {
            assertThat(admin.get("/api/v1/namespaces/" + bad + "/events").status()).as(bad).isEqualTo(400);
        }
        assertThat(admin.get("/api/v1/namespaces//events").status()).isEqualTo(400);
        for (String odd : new String[] {"Bad_NS", "x".repeat(300), "%E2%9C%93"}) {
            Response events = admin.get("/api/v1/namespaces/" + odd + "/events");
            assertThat(events.status()).as(odd).isEqualTo(admin.get("/api/v1/namespaces/" + odd + "/deployments").status());
            assertThat(events.status()).as(odd).isLessThan(500);
        }
    }
}
