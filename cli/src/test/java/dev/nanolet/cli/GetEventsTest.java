package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code get events --type --limit}: sent as platform-api's events endpoints take them, a bad value refused before anything is sent. */
class GetEventsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Loopback server;

    @BeforeEach
    void start() throws IOException {
        server = new Loopback(exchange ->
                new Loopback.Answer(200, "[{\"id\":1,\"type\":\"Warning\",\"reason\":\"BackOff\",\"object\":\"deployment/ci/web\",\"count\":2}]"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        return Loopback.run(out, err, server.args(args));
    }

    @Test
    void typeAndLimitGoIntoTheQueryOfEachEventsList() {
        assertThat(run("get", "events", "--type", "Warning", "--limit", "5")).isZero();
        assertThat(run("get", "events", "-A", "--type", "Normal")).isZero();
        assertThat(run("get", "events", "-A", "--limit", "1000")).isZero();
        assertThat(run("get", "events", "web", "--limit", "1")).isZero();
        assertThat(run("get", "events")).isZero();
        assertThat(server.asked).containsExactly("GET /api/v1/namespaces/ci/events?type=Warning&limit=5", "GET /api/v1/events?type=Normal",
                "GET /api/v1/events?limit=1000", "GET /api/v1/namespaces/ci/deployments/web/events?limit=1", "GET /api/v1/namespaces/ci/events");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("BackOff");
    }

    @Test
    void aBadTypeOrLimitIsBadUsageAndNothingIsSent() {
        assertThat(run("get", "events", "--type", "warning")).isEqualTo(CliException.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--type").contains("Normal, Warning");
        for (String limit : new String[] {"0", "1001", "-1"}) {
            err.reset();
            assertThat(run("get", "events", "--limit", limit)).as(limit).isEqualTo(CliException.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).as(limit).contains("--limit: must be between 1 and 1000; nothing was sent");
        }
        assertThat(run("get", "events", "--limit", "many")).isEqualTo(CliException.USAGE);
        assertThat(server.asked).isEmpty();
    }

    /** One deployment's events endpoint reads no type: sent, it would answer every type's as if they were the type asked for. */
    @Test
    void aTypeForOneDeploymentsEventsIsRefusedNotIgnored() {
        assertThat(run("get", "events", "web", "--type", "Warning")).isEqualTo(CliException.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("one deployment's events cannot be filtered by type");
        assertThat(server.asked).isEmpty();
    }

    /** -A with a name, or on secrets, was ignored: one namespace's answer printed as if it were every namespace's. */
    @Test
    void allNamespacesWithANameOrOnSecretsIsRefusedNotIgnored() {
        for (String[] get : List.of(new String[] {"get", "events", "web", "-A"}, new String[] {"get", "deployment", "web", "-A"},
                new String[] {"get", "secrets", "-A"}, new String[] {"get", "secret", "db", "-A"})) {
            err.reset();
            assertThat(run(get)).as(String.join(" ", get)).isEqualTo(CliException.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).as(String.join(" ", get))
                    .startsWith("nanolet: -A lists every namespace's deployments or events, not ");
        }
        assertThat(server.asked).isEmpty();
    }

    @Test
    void typeAndLimitGoWithEventsOnly() {
        assertThat(run("get", "deployments", "--limit", "5")).isEqualTo(CliException.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--type and --limit go with get events");
        assertThat(server.asked).isEmpty();
    }
}
