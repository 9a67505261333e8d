package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.AuditEntry;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.junit.jupiter.api.Test;

/** The Audit page: platform-api's audit log with its filters and older pages, and its refusals as readable pages. */
class AuditPageTest extends UiTest {
    /**
     * Entries 1..{@code count}: odd ones ci-pipeline's in ci, even ones admin's in shop dry runs; of ci's, those ending in 9
     * (9, 19, …) wrote 201 and then answered 422, a {@code wait=true} whose rollout failed.
     */
    static void log(int count) {
        for (long id = 1; id <= count; id++) {
            boolean ci = id % 2 == 1;
            boolean waitFailed = id % 10 == 9;
            API.state().audit.add(new AuditEntry(id, Instant.parse("2026-12-06T08:00:00Z").plusSeconds(id), ci ? "t-1" : "admin",
                    ci ? "ci-pipeline" : "admin", "PUT", "/api/v1/namespaces/" + (ci ? "ci" : "shop") + "/deployments/web-" + id,
                    ci ? "ci" : "shop", "namespaces/x", "10.0.0." + id, ci && !waitFailed ? 200 : 422, !ci,
                    waitFailed ? 201 : null, null));
        }
    }

    /**
     * Four entries of ci: 1 and 2 one waited write's ({@code deploy-42}: 201, then 422 written 201), 3 of a request whose
     * id holds an {@code &} and a {@code #}, 4 one a namespace's admin is shown masked, without its id.
     */
    static void requests() {
        Instant at = Instant.parse("2026-12-06T08:00:00Z");
        String path = "/api/v1/namespaces/ci/deployments/web";
        List.of(new AuditEntry(1, at, "t-1", "ci-pipeline", "PUT", path, "ci", "x", "10.0.0.1", 201, false, null, "deploy-42"),
                new AuditEntry(2, at, "t-1", "ci-pipeline", "PUT", path, "ci", "x", "10.0.0.1", 422, false, 201, "deploy-42"),
                new AuditEntry(3, at, "t-1", "ci-pipeline", "DELETE", path, "ci", "x", "10.0.0.1", 404, false, null, "a&b#1"),
                new AuditEntry(4, at, null, "a token of another namespace", "DELETE", path, "ci", "x", null, 403, false, null, null))
                .forEach(API.state().audit::add);
    }

    /**
     * An entry's request id links to the entries of that request, the id encoded whole: for a namespace's admin in the
     * page's namespace, the only one it reads, for a cluster-wide admin in every one (an apply's own entry has none); a
     * masked entry has no id, so no link; an id no request can have is platform-api's 400.
     */
    @Test
    void anEntrysRequestIdLinksToThatRequestsEntries() {
        requests();
        UiSession session = signedIn();
        UiSession ciAdmin = new UiSession(baseUrl());
        assertThat(ciAdmin.signIn(FakePlatformApi.CI_ADMIN_TOKEN).redirect()).isEqualTo("/");

        assertThat(session.page("/audit?namespace=ci&actor=ci-pipeline&limit=50"))
                .contains("id=\"audit-1-request\" href=\"/audit?requestId=deploy-42\"")
                .contains("id=\"audit-3-request\" href=\"/audit?requestId=a%26b%231\"")
                .doesNotContain("id=\"audit-4-request\"");
        assertThat(ciAdmin.page("/audit?actor=ci-pipeline"))
                .contains("id=\"audit-1-request\" href=\"/audit?namespace=ci&amp;requestId=deploy-42\"")
                .contains("id=\"audit-3-request\" href=\"/audit?namespace=ci&amp;requestId=a%26b%231\"");
        UiSession.Response request = session.get(URI.create(baseUrl() + "/audit?namespace=ci&requestId=a%26b%231"));
        assertThat(request.status()).isEqualTo(200);
        assertThat(request.body()).contains("id=\"audit-3\"").doesNotContain("id=\"audit-2\"").contains("value=\"a&amp;b#1\"");
        assertThat(API.requests).contains("GET /api/v1/audit?namespace=ci&requestId=a%26b%231");
        assertThat(session.get(URI.create(baseUrl() + "/audit?requestId=a%20b")).status()).isEqualTo(400);
    }

    @Test
    void anAdminListsEntriesNewestFirstAndFollowsTheOlderLink() {
        log(150);
        UiSession session = signedIn();
        assertThat(session.page("/")).contains("id=\"nav-audit\"");

        String first = session.page("/audit");
        assertThat(first).contains("id=\"audit-150\"").contains("id=\"audit-51\"").doesNotContain("id=\"audit-50\"")
                .contains("/api/v1/namespaces/shop/deployments/web-150").contains("ci-pipeline").contains("10.0.0.149")
                .contains("href=\"/audit?before=51\"");
        assertThat(first.indexOf("id=\"audit-150\"")).isLessThan(first.indexOf("id=\"audit-149\""));

        String older = session.page("/audit?before=51");
        assertThat(older).contains("id=\"audit-50\"").contains("id=\"audit-1\"").doesNotContain("id=\"audit-51\"")
                .doesNotContain("id=\"audit-older\"");
    }

    /**
     * A write whose wait then answered otherwise shows both: its 422 alone reads as a refusal that wrote nothing, while the
     * deployment stays written; an entry without {@code written} shows its status alone.
     */
    @Test
    void anEntryWrittenBeforeItsWaitEndedOtherwiseShowsTheWritesStatusBesideTheAnswer() {
        log(10);

        String page = signedIn().page("/audit");

        assertThat(page).containsPattern("<td><span>422</span><span class=\"muted\" id=\"audit-9-written\"\\s+"
                        + "title=\"The write itself was done \\(201\\) and stays: the request then answered 422[^\"]*\"> · written 201</span></td>")
                .contains("<td><span>200</span></td>").contains("<td><span>422</span></td>")
                .doesNotContain("id=\"audit-7-written\"").doesNotContain("id=\"audit-8-written\"");
    }

    @Test
    void filtersGoToPlatformApiEncodedAndStayOnTheOlderLink() {
        log(10);
        UiSession session = signedIn();

        String page = session.page("/audit?namespace=ci&actor=ci-pipeline&dryRun=false&limit=2");

        assertThat(page).contains("id=\"audit-9\"").contains("id=\"audit-7\"").doesNotContain("id=\"audit-8\"")
                .contains("href=\"/audit?namespace=ci&amp;actor=ci-pipeline&amp;dryRun=false&amp;limit=2&amp;before=7\"")
                .contains("value=\"ci-pipeline\"").containsPattern("<option value=\"false\" selected[^>]*>");
        assertThat(session.get(URI.create(baseUrl() + "/audit?actor=a%26b%2Bc%23d&namespace=")).status()).isEqualTo(200);
        assertThat(API.requests).contains("GET /api/v1/audit?namespace=ci&actor=ci-pipeline&dryRun=false&limit=2",
                "GET /api/v1/audit?actor=a%26b%2Bc%23d");
    }

    @Test
    void aNamespaceAdminSeesItsNamespaceWithoutNamingIt() {
        log(4);
        UiSession session = new UiSession(baseUrl());
        assertThat(session.signIn(FakePlatformApi.CI_ADMIN_TOKEN).redirect()).isEqualTo("/");

        String page = session.page("/audit");

        assertThat(page).contains("id=\"audit-3\"").contains("id=\"audit-1\"").doesNotContain("id=\"audit-4\"")
                .contains("id=\"audit-namespace\" placeholder=\"all (cluster-wide admin)\" value=\"ci\"");
        UiSession.Response all = session.get("/audit?namespace=");
        assertThat(all.status()).isEqualTo(403);
        assertThat(all.body()).contains("id=\"audit-refused\"").contains("reading the whole audit log needs role admin cluster-wide")
                .contains("id=\"audit-filters\"");
    }

    @Test
    void aViewerSeesNoLinkAndTheDashboards403NamingTheRole() {
        UiSession viewer = new UiSession(baseUrl());
        assertThat(viewer.signIn(FakePlatformApi.VIEWER_TOKEN).redirect()).isEqualTo("/");
        assertThat(viewer.page("/")).doesNotContain("id=\"nav-audit\"");

        UiSession.Response r = viewer.get("/audit");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("needs role admin in a namespace; token viewer has viewer in default")
                .contains("id=\"sign-out\"");
        assertThat(API.requests).noneMatch(call -> call.startsWith("GET /api/v1/audit"));
    }

    @Test
    void forgedFiltersAnswerPlatformApisClientErrorNeverA500() {
        log(3);
        UiSession session = signedIn();
        record Forged(String query, int status, String says) {}
        for (Forged f : new Forged[] {
            new Forged("before=abc", 400, "before and limit must be numbers"),
            new Forged("before=99999999999999999999999", 400, "before and limit must be numbers"),
            new Forged("limit=100000", 422, "limit must be between 1 and 500"),
            new Forged("limit=-1", 422, "limit must be between 1 and 500"),
            new Forged("dryRun=yes", 400, "dryRun must be true or false"),
            new Forged("namespace=%3Cscript%3E%2F..%3F%23", 200, "No entries."),
            new Forged("before=1&before=x", 400, "The filter before is given more than once"),
            new Forged("actor=a&dryRun=true&dryRun=false", 400, "The filter dryRun is given more than once"),
            new Forged("namespace=&namespace=", 400, "The filter namespace is given more than once")}) {
            UiSession.Response r = session.get(URI.create(baseUrl() + "/audit?" + f.query()));
            assertThat(r.status()).as(f.query()).isEqualTo(f.status());
            assertThat(r.body()).as(f.query()).contains(f.says()).doesNotContain("<script>");
        }
        assertThat(API.requests).contains("GET /api/v1/audit?namespace=%3Cscript%3E%2F..%3F%23")
                .noneMatch(call -> call.contains("before=1") || call.contains("dryRun=true") || call.contains("actor=a"));
    }

    /** A forged limit platform-api refused is not put in the filter form, so filtering again from the 422 page works. */
    @Test
    void aLimitPlatformApiRefusesIsNotCarriedIntoTheFilterForm() {
        log(3);
        UiSession session = signedIn();
        for (String limit : List.of("100000", "501", "0", "-1", "1e2", "abc")) {
            UiSession.Response r = session.get("/audit?limit=" + limit);
            assertThat(r.status()).as(limit).isIn(400, 422);
            assertThat(r.body()).as(limit).contains("id=\"audit-filters\"").doesNotContain("name=\"limit\"");
        }
        assertThat(session.page("/audit?limit=500")).contains("<input type=\"hidden\" name=\"limit\" value=\"500\">");
        assertThat(session.page("/audit?limit=2")).contains("<input type=\"hidden\" name=\"limit\" value=\"2\">");
    }

    /**
     * Text fields left out or null are shown empty; an answer of another shape (numbers and booleans are always there) is
     * platform-api's fault (502), never the page's 500.
     */
    @Test
    void anAnswerWithFieldsMissingIsListedAndOneOfAnotherShapeIsA502() {
        UiSession session = signedIn();
        API.answerWith(MediaType.APPLICATION_JSON, "{\"entries\":[{\"id\":7,\"status\":0,\"dryRun\":false},"
                + "{\"id\":8,\"actorId\":\"t-8\",\"at\":null,\"status\":201,\"dryRun\":true}],\"more\":1}");
        UiSession.Response sparse = session.get("/audit");
        assertThat(sparse.status()).isEqualTo(200);
        assertThat(sparse.body()).contains("id=\"audit-7\"").contains("t-8").doesNotContain("id=\"audit-older\"");

        API.answerWith(MediaType.APPLICATION_JSON, "{}");
        assertThat(session.page("/audit")).contains("id=\"audit-none\"");

        for (String body : List.of("{\"entries\":[null]}", "{\"entries\":\"x\"}", "{\"entries\":[{\"id\":\"x\"}]}", "{\"entries\":[{\"id\":7}]}", "{\"next\":\"x\"}",
                "{\"next\":1e40}", "[]")) {
            API.answerWith(MediaType.APPLICATION_JSON, body);
            UiSession.Response r = session.get("/audit");
            assertThat(r.status()).as(body).isEqualTo(502);
            assertThat(r.body()).as(body).contains("is not the JSON it documents");
        }
    }

    /** A token's name, a request's path and a client address are chosen by whoever wrote: shown as text, never as markup. */
    @Test
    void whatAWriterChoseIsShownAsText() {
        API.state().audit.add(new AuditEntry(1, Instant.parse("2026-12-06T08:00:00Z"), "t-<i>", "<img src=x onerror=alert(1)>", "PUT",
                "/api/v1/namespaces/a/deployments/\"><script>alert(2)</script>", "a", "x", "<b>10.0.0.1</b>", 200, false));

        String page = signedIn().page("/audit");

        assertThat(page).contains("&lt;img src=x onerror=alert(1)&gt;").contains("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;")
                .contains("&lt;b&gt;10.0.0.1&lt;/b&gt;").contains("title=\"t-&lt;i&gt;\"")
                .doesNotContain("<img src=x").doesNotContain("<script>alert").doesNotContain("<b>10.0.0.1");
    }
}
