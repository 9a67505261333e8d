package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Nodes page and the overview say when evictions are paused ({@code GET /api/v1/evictions}): with every node NotReady,
 * an operator learns that their replicas are deliberately left where they are, not forgotten.
 */
class EvictionsPausedTest extends UiTest {
    private static final String PAUSED = "Evictions are paused: no registered node is Ready (0 of 2). "
            + "NotReady nodes keep their replicas until a node is Ready again.";

    /** The Nodes page, and the overview with its words, say so to a token that may read the nodes, and its live part too. */
    @ParameterizedTest
    @CsvSource({"/nodes, id=\"node-node-1\"", "/, id=\"nodes-ready\""})
    void thePageSaysSoWhileNoNodeIsReadyAndNotOtherwise(String page, String shown) {
        UiSession admin = signedIn();
        assertThat(admin.page(page)).contains(shown).doesNotContain("id=\"evictions-paused\"");

        API.state().notReady("node-1");

        assertThat(admin.page(page)).contains("id=\"evictions-paused\"").contains(PAUSED);
        assertThat(admin.htmx(page).body()).as("the live part, as it refreshes").doesNotContain("<html").contains(PAUSED);
    }

    /** The overview says it to a cluster-wide viewer too; a token granted in namespaces only is asked nothing it would be refused. */
    @Test
    void theOverviewSaysSoToATokenThatMayReadTheNodesOnly() {
        API.state().notReady("node-1");
        UiSession clusterViewer = new UiSession(baseUrl());
        assertThat(clusterViewer.signIn(FakePlatformApi.CLUSTER_VIEWER_TOKEN).redirect()).isEqualTo("/");
        assertThat(clusterViewer.page("/")).contains(PAUSED);
        UiSession namespaced = new UiSession(baseUrl());
        assertThat(namespaced.signIn(FakePlatformApi.VIEWER_TOKEN).redirect()).isEqualTo("/");
        API.requests.clear();
        assertThat(namespaced.page("/")).contains("id=\"nodes-hidden\"").doesNotContain("id=\"evictions-paused\"");
        assertThat(API.requests).doesNotContain("GET /api/v1/evictions");
    }

    @ParameterizedTest
    @CsvSource({"/nodes, 403", "/nodes, 500", "/nodes, 503", "/, 403", "/, 500", "/, 503"})
    void aFailedReadOfTheEvictionsShowsThePageWithoutTheLine(String page, int status) {
        UiSession admin = signedIn();
        API.state().notReady("node-1");
        API.failCall("GET /api/v1/evictions", status);

        assertThat(admin.page(page)).containsAnyOf("id=\"node-node-1\"", "id=\"nodes-ready\"").doesNotContain("id=\"evictions-paused\"");
        assertThat(admin.htmx(page).body()).contains("-live\"").doesNotContain("id=\"evictions-paused\"");
    }

    @Test
    void theFakeApiAnswersTheEvictionsToAClusterWideViewerOnlyAsPlatformApiDoes() throws Exception {
        assertThat(evictions(FakePlatformApi.CLUSTER_VIEWER_TOKEN).body()).isEqualTo("{\"paused\":false,\"nodes\":2,\"readyNodes\":1}");
        HttpResponse<String> namespaced = evictions(FakePlatformApi.VIEWER_TOKEN);
        assertThat(namespaced.statusCode()).isEqualTo(403);
        assertThat(namespaced.body()).contains("needs role viewer cluster-wide");
    }

    private static HttpResponse<String> evictions(String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(API.url() + "/api/v1/evictions")).header("Authorization", "Bearer " + token).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
