package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request of one command sends the command's {@code X-Request-Id}, a new one per command, so that the audit entries
 * of all it did share it: an apply's module uploads, its {@code POST /apply} (and so its documents' entries) and its reads.
 * A write whose outcome its answer leaves open (a 5xx, a rollout that failed after the write) names that id. Before, each
 * write sent its own id, and an apply's uploads were not found under the id its failure named.
 */
class WriteRequestIdTest {
    private final List<String> sent = new CopyOnWriteArrayList<>();
    @TempDir
    Path dir;

    @Test
    void everyRequestOfOneCommandSendsItsIdAndTheNextCommandAnother() throws IOException {
        Files.write(dir.resolve("app.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: db}
                stringData: {password: p}
                ---
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web}
                spec: {module: "file:app.wasm", http: {path: /web}}
                """);
        try (Loopback server = new Loopback(exchange -> {
            sent.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst(Api.REQUEST_ID));
            return switch (exchange.getRequestURI().getPath()) {
                case "/api/v1/modules" -> new Loopback.Answer(201, "{\"digest\":\"sha256:" + "0".repeat(64) + "\"}");
                case "/api/v1/apply" -> new Loopback.Answer(200, "[]");
                default -> new Loopback.Answer(200, "{\"namespace\":\"ci\",\"name\":\"db\",\"keys\":[\"password\"],\"version\":1}");
            };
        })) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Loopback.run(new ByteArrayOutputStream(), err, server.args("apply", "-f", dir.resolve("app.yaml").toString())))
                    .as("%s", err).isZero();
            int applied = sent.size();
            assertThat(Loopback.run(new ByteArrayOutputStream(), err, server.args("scale", "web", "--replicas", "2"))).as("%s", err).isZero();

            assertThat(sent.subList(0, applied)).extracting(s -> s.substring(0, s.lastIndexOf(' '))).containsExactly(
                    "POST /api/v1/modules", "GET /api/v1/namespaces/ci/secrets/db", "POST /api/v1/apply", "GET /api/v1/namespaces/ci/secrets/db");
            List<String> ids = sent.stream().map(WriteRequestIdTest::id).toList();
            assertThat(ids.subList(0, applied)).as("apply's").containsOnly(ids.getFirst());
            assertThat(ids.getFirst()).matches("[0-9a-f-]{36}");
            assertThat(ids.getLast()).as("scale's").matches("[0-9a-f-]{36}").isNotEqualTo(ids.getFirst());
        }
    }

    private static String id(String sent) {
        return sent.substring(sent.lastIndexOf(' ') + 1);
    }

    @Test
    void aWritesFiveHundredOrFailedRolloutNamesItsIdAndARefusalDoesNot() throws IOException {
        assertThat(said(503, "{\"detail\":\"the database is unreachable\"}", CliException.ROLLOUT_FAILED))
                .isEqualTo("nanolet: 503: the database is unreachable\n  request id ID: nanolet audit --request-id ID lists what it did\n");
        assertThat(said(422, "{\"type\":\"" + Api.ROLLOUT_FAILED + "\",\"detail\":\"web: not available\"}", CliException.ROLLOUT_FAILED))
                .isEqualTo("nanolet: rollout failed: web: not available\n  request id ID: nanolet audit --request-id ID lists what it did\n");
        assertThat(said(422, "{\"detail\":\"replicas: must be at least 0\"}", CliException.USAGE))
                .isEqualTo("nanolet: replicas: must be at least 0\n");
    }

    /** What {@code nanolet rollout undo web --to-revision 1} printed on stderr for {@code problem}, the id the server got written {@code ID}. */
    private String said(int status, String problem, int exitCode) throws IOException {
        sent.clear();
        try (Loopback server = new Loopback(exchange -> {
            sent.add(exchange.getRequestHeaders().getFirst(Api.REQUEST_ID));
            return new Loopback.Answer(status, problem);
        })) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Loopback.run(new ByteArrayOutputStream(), err, server.args("rollout", "undo", "web", "--to-revision", "1"))).as("%s", err)
                    .isEqualTo(exitCode);
            assertThat(sent).singleElement().isNotNull();
            String stderr = err.toString(StandardCharsets.UTF_8);
            return stderr.substring(stderr.indexOf("nanolet: ")).replace(sent.getFirst(), "ID");
        }
    }
}
