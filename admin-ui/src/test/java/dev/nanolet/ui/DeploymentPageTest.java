package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.testsupport.GenerousAwaits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

class DeploymentPageTest extends UiTest {
    private static final String PAGE = "/deployments/default/hello";

    @Test
    void showsSpecStatusReplicasRevisionsAndEvents() {
        UiSession session = signedIn();
        String digest = Fixtures.deploy(session, "hello", 2);
        String html = session.page(PAGE);
        assertThat(html).contains(digest).contains("/hello").contains("GREETING=hello").contains("zone=a")
                .contains("32 MiB memory, 5000 ms timeout, 4 concurrent instances")
                .contains("id=\"replicas\"").contains("Applied").contains("hx-trigger=\"every 1s\"");
    }

    @Test
    void bindingsShowWhatTheyAreBoundToAndTheReasonOfOneThatCannotBeUsed() {
        UiSession session = signedIn();
        String todo = deployTodo(session, "todo=postgres:db\ncount=kv:counter");
        await().untilAsserted(() -> assertThat(session.htmx(todo).body()).contains("phase-Failed"));
        String html = session.page(todo);
        String table = html.substring(html.indexOf("id=\"bindings\""), html.indexOf("</table>", html.indexOf("id=\"bindings\"")));
        assertThat(table).contains("todo").contains("postgres").contains(">db<")
                .contains("count").contains("kv").contains(">counter<");
        String okRow = table.substring(table.indexOf("id=\"binding-todo\""), table.indexOf("id=\"binding-count\""));
        String badRow = table.substring(table.indexOf("id=\"binding-count\""));
        assertThat(table).contains("class=\"binding binding-ok\" id=\"binding-todo\"")
                .contains("class=\"binding binding-unavailable\" id=\"binding-count\"");
        assertThat(okRow).contains(">ok<").doesNotContain(">unavailable<").doesNotContain("received no values");
        assertThat(okRow).contains(">120.0<").contains(">25.0 %<").contains(">3.00 ms<").contains("class=\"binding-pool-wait\">0.25 ms<");
        assertThat(badRow).contains("class=\"binding-calls\">—<").doesNotContain(" ms<");
        assertThat(badRow).contains(">unavailable<")
                .contains("binding &#39;count&#39;: the node received no values of secret &#39;counter&#39;");
    }

    @Test
    void aBindingWhoseDatabaseANodeFindsUnavailableNowShowsUnavailableWithTheNodesReason() {
        UiSession session = signedIn();
        String todo = deployTodo(session, "todo=postgres:db");
        assertThat(session.page(todo)).contains("class=\"binding binding-ok\" id=\"binding-todo\"");

        API.state().todoUnavailable = "binding 'todo': the database is unavailable (connection refused)";

        String html = session.page(todo);
        String row = html.substring(html.indexOf("id=\"binding-todo\""), html.indexOf("</tr>", html.indexOf("id=\"binding-todo\"")));
        assertThat(html).contains("class=\"binding binding-unavailable\" id=\"binding-todo\"");
        assertThat(row).contains(">unavailable<").contains("the database is unavailable (connection refused)")
                .contains(">120.0<");
    }

    /** Deploys {@code todo} with {@code bindings} (secret {@code db} exists, {@code counter} does not); its page. */
    private static String deployTodo(UiSession session, String bindings) {
        API.state().secrets.put("default/db", Map.of("url", "postgresql://127.0.0.1/app"));
        var form = new java.util.HashMap<>(Fixtures.httpForm("todo", Fixtures.upload(session), 1));
        form.put("bindings", bindings);
        session.post("/deployments/new", "/deployments", form).redirect();
        return "/deployments/default/todo";
    }

    @Test
    void aDeploymentWithoutBindingsHasNoBindingSection() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        assertThat(session.page(PAGE)).doesNotContain("id=\"bindings\"");
    }

    @Test
    void theLiveFragmentShowsReplicasGoingRunning() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 2);
        UiSession.Response first = session.htmx(PAGE);
        assertThat(first.body()).doesNotContain("<html").contains("id=\"deployment-live\"").contains("Starting");
        await().untilAsserted(() ->
                assertThat(session.htmx(PAGE).body().split("phase-Running", -1)).hasSize(3));
    }

    @Test
    void scalingSendsAScaleRequestAndSaysSo() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 2);
        assertThat(session.post(PAGE, PAGE + "/scale", Map.of("replicas", "3")).redirect()).isEqualTo(PAGE);
        assertThat(API.requests).contains("PUT /api/v1/namespaces/default/deployments/hello/scale");
        assertThat(API.state().deployments.get("default/hello").replicas).hasSize(3);
        assertThat(session.page(PAGE)).contains("Scaled to 3 replicas.");
    }

    @Test
    void anInvalidScaleIsAMessageNotAnError() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 2);
        session.post(PAGE, PAGE + "/scale", Map.of("replicas", "-4")).redirect();
        assertThat(session.page(PAGE)).contains("platform-api refused: invalid scale; replicas must be between 0 and 1000");
    }

    @Test
    void rollingBackMakesAnOldRevisionCurrent() {
        UiSession session = signedIn();
        String digest = Fixtures.deploy(session, "hello", 2);
        session.post(PAGE + "/edit", "/deployments", Fixtures.httpForm("hello", digest, 2,
                Map.of("envValue", "bonjour", "resourceVersion", API.state().deployments.get("default/hello").resourceVersion))).redirect();
        assertThat(session.page(PAGE)).contains("id=\"rollback-1\"");
        session.post(PAGE, PAGE + "/rollback", Map.of("revision", "1")).redirect();
        assertThat(API.state().deployments.get("default/hello").revision).isEqualTo(1);
        assertThat(session.page(PAGE)).contains("Rolled back to revision 1.").contains("GREETING=hello").contains("id=\"rollback-2\"");
    }

    @Test
    void deletingAsksForConfirmationThenGoesBackToTheList() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 2);
        assertThat(session.page(PAGE + "/delete")).contains("Delete default/hello?");
        assertThat(API.state().deployments).containsKey("default/hello");
        assertThat(session.post(PAGE + "/delete", PAGE + "/delete", Map.of()).redirect()).isEqualTo("/deployments");
        assertThat(API.state().deployments).isEmpty();
        assertThat(session.page("/deployments")).contains("Deleted deployment default/hello.");
    }

    @Test
    void tryItCallsTheRouteFromTheServerAndShowsStatusHeadersAndBody() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        UiSession.Response r = session.post(PAGE, PAGE + "/try", Map.of("suffix", "world?x=1"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("id=\"try-status\">200<").contains("X-Served-By").contains("fake-node")
                .contains("Hello from /hello/world");
        assertThat(API.requests).contains("GET /hello/world?x=1");
    }

    @Test
    void theLogPageShowsTheTailAndTheStreamRelaysLinesAsHtml() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        assertThat(session.page(PAGE + "/logs")).contains("hello line 1").contains("hello line 3");
        assertThat(API.requests).contains("GET /api/v1/namespaces/default/deployments/hello/logs?tail=200&follow=false");
        int followed = 3 + FakePlatformApi.FOLLOWED_LINES;
        List<String> events = WebClient.create(baseUrl()).get().uri(PAGE + "/logs/stream")
                .cookies(c -> session.cookie(c)).accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(String.class).take(followed + 1).collectList().block(GenerousAwaits.AT_MOST);
        assertThat(events).hasSize(followed + 1).allMatch(e -> e.startsWith("<div class=\"log-line"));
        assertThat(events.get(0)).contains("hello line 1");
        assertThat(events.get(4)).contains("served request");
        assertThat(events.get(followed)).as("after the stream ended: new lines only").contains("served request 0");
        assertThat(API.requests).contains("GET /api/v1/namespaces/default/deployments/hello/logs?tail=200&follow=true",
                "GET /api/v1/namespaces/default/deployments/hello/logs?tail=0&follow=true");
    }

    @Test
    void tryItEncodesWhatABrowserWouldAndSaysWhatCannotBeAPath() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        API.requests.clear();

        assertThat(tryIt(session, "search?q=hello world").body()).contains("id=\"try-status\">200<");
        assertThat(tryIt(session, "a b/<c>?q=<img>&x=\"1\"#top").body()).contains("id=\"try-status\">200<");
        assertThat(tryIt(session, "café%20bar").body()).contains("id=\"try-status\">200<");
        assertThat(API.requests.stream().filter(r -> !r.startsWith("GET /api/"))).containsExactly("GET /hello/search?q=hello%20world",
                "GET /hello/a%20b/%3Cc%3E?q=%3Cimg%3E&x=%221%22%23top", "GET /hello/caf%C3%A9%20bar");

        UiSession.Response broken = tryIt(session, "%zz");
        assertThat(broken.status()).isEqualTo(200);
        assertThat(broken.body()).contains("id=\"try-not-a-path\"").contains("a % must start an escape such as %20")
                .doesNotContain("<html");
        assertThat(API.requests.stream().filter(r -> !r.startsWith("GET /api/"))).as("nothing sent").hasSize(3);
    }

    @Test
    void tryItNeverLeavesTheDeploymentsRoute() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        API.requests.clear();

        for (String suffix : new String[] {"../../api/v1/tokens", "a/%2e%2E/%2e%2e/other"}) {
            UiSession.Response r = tryIt(session, suffix);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).as(suffix).contains("id=\"try-not-a-path\"").contains("would leave the route");
        }
        assertThat(API.requests.stream().filter(r -> !r.startsWith("GET /api/"))).as("nothing sent").isEmpty();
    }

    private static UiSession.Response tryIt(UiSession session, String suffix) {
        String token = session.csrfFrom(PAGE);
        return session.submit(PAGE + "/try", Map.of("suffix", suffix, "_csrf", token), true);
    }

    @Test
    void anOutageIsToldOnceInTheLogStreamNotOnEveryRetry() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        API.failWith(503);
        try (OpenLogStream stream = OpenLogStream.open(baseUrl(), session, PAGE)) {
            // the first follow-again's failure is relayed (or not) before the second is sent
            await().until(() -> API.requests.stream().filter(q -> q.contains("/logs?tail=0&follow=true")).count() >= 2);
            assertThat(stream.lines()).hasSize(1).allMatch(e -> e.contains("log stream interrupted"));
        }
    }

    @Test
    void theLogPageShowsShortTimesAndEscapedLines() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        assertThat(session.page(PAGE + "/logs")).containsPattern(">\\d\\d:\\d\\d:\\d\\d\\.\\d{3} [0-9a-f]{8}</span> hello line 1</div>");
        assertThat(session.page(PAGE)).contains("data-empty=\"No log lines yet");
    }

    @Test
    void metricsAreRelayedAsJsonForTheChart() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        UiSession.Response r = session.get(PAGE + "/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"requestsPerSecond\"").contains("\"p99Ms\"");
        assertThat(API.requests).contains("GET /api/v1/namespaces/default/deployments/hello/metrics?minutes=15");
        assertThat(session.page(PAGE)).as("the chart's words come from messages.properties")
                .contains("data-rate=\"req/s\"").contains("data-empty=\"No requests in the last 15 minutes yet.\"");
    }

    @Test
    void aFailedJobShowsItsReasonAndMessageWithoutHovering() {
        UiSession session = signedIn();
        String digest = Fixtures.upload(session);
        var form = new java.util.HashMap<>(Fixtures.httpForm("batch", digest, 1));
        form.putAll(Map.of("kind", "job", "args", "3", "envName", "", "envValue", "", "nodeSelector", ""));
        session.post("/deployments/new", "/deployments", form).redirect();
        await().untilAsserted(() -> assertThat(session.page("/deployments/default/batch"))
                .contains("phase-Failed").containsPattern("<span>ExitCode</span> <span class=\"muted\">exit code 3</span>")
                .contains("badge-Failing"));
        assertThat(session.page("/deployments/default/batch")).contains("<span class=\"muted\">any node</span>").contains("1 (generation 1)");
    }

    @Test
    void onlyTheLatestEventsAreShown() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 0);
        for (int i = 1; i <= 24; i++) {
            session.post(PAGE, PAGE + "/scale", Map.of("replicas", String.valueOf(i % 2))).redirect();
        }
        String html = session.page(PAGE);
        assertThat(html.split("<li class=\"event-", -1)).hasSize(21);
        assertThat(html).contains("The latest 20 of 25 events.");
    }

    @Test
    void anUnknownDeploymentIsAReadable404() {
        UiSession session = signedIn();
        UiSession.Response r = session.get("/deployments/default/nope");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("404 Not Found").contains("deployment default/nope does not exist").doesNotContain("Exception");
    }
}
