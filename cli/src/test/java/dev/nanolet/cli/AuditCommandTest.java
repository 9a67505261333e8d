package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code nanolet audit} against a loopback server that answers the audit log as platform-api does: entries 5 to 1, two
 * per page, {@code next} the last id listed; {@code actor=nobody} is refused 403, {@code limit=0} 422, as the server's problems.
 */
class AuditCommandTest {
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = PathSegmentsTest.listen();
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
        asked.add(exchange.getRequestURI().getRawPath() + (query.isEmpty() ? "" : "?" + query));
        int status = 200;
        String body;
        if (query.contains("actor=nobody")) {
            status = 403;
            body = "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"reading the audit log of namespace default needs role admin\"}";
        } else if (query.contains("actor=gone")) {
            body = "{\"entries\":[{\"id\":3,\"actorId\":\"t-gone\",\"actorName\":null,\"method\":\"DELETE\"}],\"next\":3}";
        } else if (query.contains("actor=waiter")) { // a PUT ?wait=true whose rollout failed: written, then answered 422
            body = "{\"entries\":[{\"id\":7,\"actorName\":\"waiter\",\"method\":\"PUT\",\"status\":422,\"written\":201,\"dryRun\":false,"
                    + "\"requestId\":\"deploy-42\"},{\"id\":6,\"actorName\":\"waiter\",\"method\":\"PUT\",\"status\":422,\"written\":null,"
                    + "\"dryRun\":false,\"requestId\":\"x\\u001b[2Jy\\u009b\"}],\"next\":null}";
        } else if (query.contains("limit=501")) {
            status = 422;
            body = "{\"title\":\"Invalid input\",\"status\":422,\"detail\":\"limit: must be between 1 and 500\","
                    + "\"errors\":[{\"field\":\"limit\",\"message\":\"must be between 1 and 500\"}]}";
        } else if (query.contains("limit=502")) {
            status = 422;
            body = "{\"title\":\"Invalid input\",\"status\":422,\"detail\":\"2 fields are invalid\",\"errors\":["
                    + "{\"field\":\"limit\",\"message\":\"must be between 1 and 500\"},{\"field\":\"before\",\"message\":\"must be positive\"}]}";
        } else if (query.contains("limit=0")) {
            status = 422;
            body = "{\"title\":\"Unprocessable\",\"status\":422,\"detail\":\"limit must be 1-500\"}";
        } else {
            int before = query.matches(".*before=\\d+.*") ? Integer.parseInt(query.replaceAll(".*before=(\\d+).*", "$1")) : 6;
            StringBuilder entries = new StringBuilder();
            for (int id = before - 1; id >= Math.max(1, before - 2); id--) {
                entries.append(entries.isEmpty() ? "" : ",").append("{\"id\":").append(id).append(",\"at\":\"2026-12-06T08:0").append(id)
                        .append(":00Z\",\"actorId\":\"t").append(id).append("\",\"actorName\":\"ci\",\"method\":\"PUT\",\"path\":\"/api/v1/namespaces/default/deployments/web\",")
                        .append("\"namespace\":\"default\",\"status\":200,\"dryRun\":").append(id % 2 == 0).append(",\"client\":\"10.0.0.7\"}");
            }
            body = "{\"entries\":[" + entries + "],\"next\":" + (before > 3 ? String.valueOf(before - 2) : "null") + "}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void everyFilterGoesIntoTheQueryEncodedWhole() {
        assertThat(run("audit", "-n", "c&i", "--actor", "ci#1", "--dry-runs=none", "--request-id", "a&b#1", "--before", "4", "--limit", "2"))
                .isZero();
        assertThat(run("audit", "-A")).isZero();
        assertThat(run("audit", "--dry-runs", "only")).isZero();

        assertThat(asked).containsExactly(
                "/api/v1/audit?namespace=c%26i&actor=ci%231&dryRun=false&requestId=a%26b%231&before=4&limit=2",
                "/api/v1/audit",
                "/api/v1/audit?namespace=default&dryRun=true");
    }

    @Test
    void onePageIsATableAndTheNextPagesBeforeIsSaidOnStderr() {
        assertThat(run("audit", "-A")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(3)
                .first().asString().startsWith("ID").contains("AT", "ACTOR", "METHOD", "PATH", "STATUS", "DRY RUN");
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("(?m)^5 +2026-12-06T08:05:00Z +ci +PUT +/api/v1/namespaces/default/deployments/web +200 +false")
                .containsPattern("(?m)^4 .* true ");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("older entries: --before 4");
    }

    /**
     * A write whose wait then answered otherwise shows the write's own status too: its 422 alone reads as nothing written;
     * and the id of the request that wrote it, which pairs the two, without the control characters a hostile server put in.
     */
    @Test
    void anEntryWrittenBeforeItsWaitEndedOtherwiseShowsTheWritesStatus() {
        assertThat(run("audit", "--actor", "waiter")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("(?m)^ID .*STATUS +WRITTEN +DRY RUN +CLIENT +REQUEST ID$")
                .containsPattern("(?m)^7 .* PUT +422 +201 +false +deploy-42$")
                .containsPattern("(?m)^6 .* PUT +422 +false +x \\[2Jy$").doesNotContain("\u001b", "\u009b");
    }

    @Test
    void allPagesFollowsNextToTheOldestEntry() {
        assertThat(run("audit", "-A", "--all-pages", "--limit", "2", "-o", "json")).isZero();

        assertThat(asked).containsExactly("/api/v1/audit?limit=2", "/api/v1/audit?before=4&limit=2", "/api/v1/audit?before=2&limit=2");
        JsonNode all = Api.JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(all.path("entries").valueStream().map(e -> e.path("id").asInt()).toList()).containsExactly(5, 4, 3, 2, 1);
        assertThat(all.path("next").isNull()).isTrue();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void jsonOfOnePageKeepsItsNextForAScript() {
        assertThat(run("audit", "-A", "-o", "json")).isZero();

        assertThat(Api.JSON.readTree(out.toString(StandardCharsets.UTF_8)).path("next").asInt()).isEqualTo(4);
    }

    /** A token deleted since has no name: its id is shown. A server whose next is not older stops --all-pages. */
    @Test
    void anEntryWithoutActorNameShowsItsIdAndANextThatIsNotOlderEndsAllPages() {
        assertThat(run("audit", "--actor", "gone")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("(?m)^3 +t-gone +DELETE");

        assertThat(run("audit", "--actor", "gone", "--all-pages")).isEqualTo(CliException.ROLLOUT_FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the server's next (3) is not older than 3");
        assertThat(asked).hasSize(3);
    }

    @Test
    void theServersRefusalIsShownWithItsExitCode() {
        assertThat(run("audit", "--actor", "nobody")).isEqualTo(CliException.FORBIDDEN);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("403 forbidden: reading the audit log of namespace default needs role admin");

        assertThat(run("audit", "--limit", "0")).isEqualTo(CliException.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("limit must be 1-500");
    }

    /** platform-api's problem for one invalid field has that field's message as its detail too: it is printed once. */
    @Test
    void aProblemWhoseOneFieldErrorIsItsDetailIsPrintedOnce() {
        assertThat(run("audit", "--limit", "501")).isEqualTo(CliException.USAGE);

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("nanolet: limit: must be between 1 and 500" + System.lineSeparator());
        err.reset();

        assertThat(run("audit", "--limit", "502")).isEqualTo(CliException.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly("nanolet: 2 fields are invalid", "  limit: must be between 1 and 500", "  before: must be positive");
    }

    @Test
    void aDryRunsFilterOtherThanOnlyOrNoneIsBadUsageBeforeAnythingIsSent() {
        assertThat(run("audit", "--dry-runs=true")).isEqualTo(CliException.USAGE);
        assertThat(run("audit", "--before", "x")).isEqualTo(CliException.USAGE);
        assertThat(run("audit", "--dry-runs")).isEqualTo(CliException.USAGE);
        assertThat(run("audit", "--dry-run")).as("the writes' flag, which asks for a dry run: no filter").isEqualTo(CliException.USAGE);
        assertThat(run("audit", "--dry-run=true")).isEqualTo(CliException.USAGE);

        assertThat(asked).isEmpty();
    }

    private int run(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        System.arraycopy(new String[] {"--server", "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "t"}, 0, all,
                args.length, 4);
        return Loopback.run(out, err, all);
    }
}
