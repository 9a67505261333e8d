package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Overview, deployments list, modules and nodes pages. */
class ListPagesTest extends UiTest {

    @Test
    void theOverviewCountsNodesAndDeploymentsAndShowsWarnings() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 2);
        API.state().event("Warning", "CrashLoopBackOff", "exit code 3", "replica/abc");
        API.state().event("Warning", "NodeNotReady", "lease not renewed", "node/node-2");
        String html = session.page("/");
        assertThat(html).as("warnings link to what they are about").contains("<a href=\"/nodes#node-node-2\">node/node-2</a>")
                .contains("<span>replica/abc</span>");
        assertThat(html).contains("id=\"nodes-ready\">1<").contains("1 NotReady").contains("2 of 16 instances, 128 of 2048 MiB in use")
                .contains("CrashLoopBackOff").contains("exit code 3").contains("default/hello");
        assertThat(API.requests).contains("GET /api/v1/events?type=Warning&limit=10");
        assertThat(session.htmx("/").body()).doesNotContain("<html").contains("id=\"overview-live\"");
    }

    @Test
    void theDeploymentListFiltersByNamespaceAndText() {
        UiSession session = signedIn();
        String digest = Fixtures.deploy(session, "hello", 1);
        var other = new HashMap<>(Fixtures.httpForm("orders", digest, 1));
        other.put("namespace", "shop");
        session.post("/deployments/new", "/deployments", other).redirect();
        String all = session.page("/deployments");
        assertThat(all).contains(">hello<").contains(">orders<").contains("http /hello").contains(digest.substring(7, 19));
        assertThat(session.page("/deployments?namespace=shop")).doesNotContain(">hello<").contains(">orders<");
        assertThat(session.page("/deployments?q=HEL")).contains(">hello<").doesNotContain(">orders<");
        assertThat(session.htmx("/deployments?namespace=shop").body()).doesNotContain("<html").contains(">orders<");
    }

    @Test
    void modulesListAndDetailShowImportsExportsAndWhoUsesThem() {
        UiSession session = signedIn();
        String digest = Fixtures.deploy(session, "hello", 1);
        assertThat(session.page("/modules")).contains(digest.substring(7, 19)).contains("default/hello").contains(">hello<");
        String detail = session.page("/modules/" + digest);
        assertThat(detail).contains("wasi_snapshot_preview1.fd_write").contains("_start")
                .contains("Cannot delete: used by default/hello.").containsPattern("id=\"delete-module\" disabled");
    }

    @Test
    void anUnusedModuleCanBeDeletedAndAnUsedOneIsRefusedReadably() {
        UiSession session = signedIn();
        String digest = Fixtures.upload(session);
        assertThat(session.page("/modules/" + digest)).doesNotContain("disabled=\"disabled\"").doesNotContain("Cannot delete");
        assertThat(session.post("/modules", "/modules/" + digest + "/delete", Map.of()).redirect()).isEqualTo("/modules");
        assertThat(API.state().modules).isEmpty();
        assertThat(session.page("/modules")).contains("Deleted module " + digest);

        String used = Fixtures.deploy(session, "hello", 1);
        session.post("/modules", "/modules/" + used + "/delete", Map.of()).redirect();
        assertThat(API.state().modules).containsKey(used);
        assertThat(session.page("/modules/" + used)).contains("platform-api refused: module is used by [default/hello]");
    }

    @Test
    void nodesShowLabelsCapacityLeaseAndReadiness() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 3);
        String html = session.page("/nodes");
        assertThat(html).contains("node-1").contains("zone=a").contains("Instances: 2 of 8").contains("Memory: 128 of 1024 MiB")
                .contains("<meter class=\"bar\" min=\"0\" max=\"8\" value=\"2\">").contains("NotReady").contains("lease renewed 40s ago").contains("2 replicas");
        assertThat(session.htmx("/nodes").body()).doesNotContain("<html").contains("id=\"nodes-live\"");
        String node1 = html.substring(html.indexOf("id=\"node-node-1\""), html.indexOf("id=\"node-node-2\""));
        assertThat(node1.split("default/hello</a>", -1)).hasSize(3);
    }

    @Test
    void nodesAskForEachNodesReplicasOnceAndListThemInTheApisOrder() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "web", 2);
        Fixtures.deploy(session, "hello", 2);
        API.requests.clear();
        String html = session.page("/nodes");
        assertThat(API.requests).as("one call per node, none per deployment")
                .containsExactlyInAnyOrder("GET /api/v1/nodes", "GET /api/v1/evictions", "GET /api/v1/nodes/node-1/replicas", "GET /api/v1/nodes/node-2/replicas");
        String node1 = html.substring(html.indexOf("id=\"node-node-1\""), html.indexOf("id=\"node-node-2\""));
        assertThat(node1.indexOf("default/hello</a>")).as("by namespace and deployment, as platform-api sorts them")
                .isPositive().isLessThan(node1.indexOf("default/web</a>"));
    }

    @Test
    void theFakeApiAnswersAnUnknownNodesReplicasWith404AsPlatformApiDoes() throws Exception {
        var request = HttpRequest.newBuilder(URI.create(API.url() + "/api/v1/nodes/nowhere/replicas"))
                .header("Authorization", "Bearer " + FakePlatformApi.ADMIN_TOKEN).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains("node nowhere is not registered");
        }
    }
}
