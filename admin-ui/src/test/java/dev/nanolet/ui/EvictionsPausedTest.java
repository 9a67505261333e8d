package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Nodes page and the overview say when evictions are paused ({@code GET /api/v1/evictions}): with every node NotReady,
 * an operator learns that their replicas are deliberately left where they are, not forgotten.
 */
class EvictionsPausedTest extends UiTest {
    private static final String PAUSED = "Evictions are paused: no registered node is Ready (0 of 2). "
            + "NotReady nodes keep their replicas until a node is Ready again.";

    @Test
    void theNodesPageSaysSoWhileNoNodeIsReadyAndNotOtherwise() {
        UiSession admin = signedIn();
        assertThat(admin.page("/nodes")).contains("id=\"node-node-1\"").doesNotContain("id=\"evictions-paused\"");

        API.state().notReady("node-1");

        assertThat(admin.page("/nodes")).contains("id=\"evictions-paused\"").contains(PAUSED);
        assertThat(admin.htmx("/nodes").body()).as("the live part, as it refreshes").doesNotContain("<html").contains(PAUSED);
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 500, 503})
    void aFailedReadOfTheEvictionsShowsTheNodesWithoutTheLine(int status) {
        UiSession admin = signedIn();
        API.state().notReady("node-1");
        API.failCall("GET /api/v1/evictions", status);

        assertThat(admin.page("/nodes")).contains("id=\"node-node-1\"").contains("id=\"node-node-2\"").doesNotContain("id=\"evictions-paused\"");
        assertThat(admin.htmx("/nodes").body()).contains("id=\"nodes-live\"").doesNotContain("id=\"evictions-paused\"");
    }

    /** The overview says it too, with the Nodes page's words, to a token that may read the nodes; to no other. */
    @Test
    void theOverviewSaysSoToATokenThatMayReadTheNodes() {
        UiSession admin = signedIn();
        assertThat(admin.page("/")).contains("id=\"nodes-ready\"").doesNotContain("id=\"evictions-paused\"");

        API.state().notReady("node-1");

        assertThat(admin.page("/")).contains("id=\"evictions-paused\"").contains(PAUSED);
        assertThat(admin.htmx("/").body()).as("the live part, as it refreshes").doesNotContain("<html").contains(PAUSED);
        UiSession clusterViewer = new UiSession(baseUrl());
        assertThat(clusterViewer.signIn(FakePlatformApi.CLUSTER_VIEWER_TOKEN).redirect()).isEqualTo("/");
        assertThat(clusterViewer.page("/")).contains(PAUSED);
        UiSession namespaced = new UiSession(baseUrl());
        assertThat(namespaced.signIn(FakePlatformApi.VIEWER_TOKEN).redirect()).isEqualTo("/");
        API.requests.clear();
        assertThat(namespaced.page("/")).contains("id=\"nodes-hidden\"").doesNotContain("id=\"evictions-paused\"");
        assertThat(API.requests).as("nothing it would be refused is asked").doesNotContain("GET /api/v1/evictions");
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 500, 503})
    void aFailedReadOfTheEvictionsShowsTheOverviewWithoutTheLine(int status) {
        UiSession admin = signedIn();
        API.state().notReady("node-1");
        API.failCall("GET /api/v1/evictions", status);

        assertThat(admin.page("/")).contains("id=\"nodes-ready\"").contains("id=\"overview-live\"").doesNotContain("id=\"evictions-paused\"");
        assertThat(admin.htmx("/").body()).contains("id=\"overview-live\"").doesNotContain("id=\"evictions-paused\"");
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
