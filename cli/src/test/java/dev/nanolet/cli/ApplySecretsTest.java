package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nanolet apply -f} of a manifest of Secrets, against a loopback server whose {@code POST /apply} answers no
 * deployment (as platform-api does for Secret documents) and whose secrets are at {@link #before} until the apply,
 * at {@link #after} once it answered: the CLI says what it did to each secret by name and keys, never a value. The
 * answer says what it did in its Nanolet-Secrets header when {@link #done} is set, as platform-api does; without
 * it, as an older platform-api answered, the CLI compares the versions before and after.
 */
class ApplySecretsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> before = new HashMap<>();
    private final Map<String, String> after = new HashMap<>();
    private boolean applied;
    private String done;
    private Loopback.Answer failure;
    private Loopback server;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = new Loopback(this::answer);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Loopback.Answer answer(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        if (path.startsWith("/api/v1/apply")) {
            applied = !exchange.getRequestURI().toString().contains("dryRun");
            if (done != null) {
                exchange.getResponseHeaders().set("Nanolet-Secrets", done);
            }
            return failure != null ? failure : new Loopback.Answer(200, "[]");
        }
        String secret = (applied ? after : before).get(path.substring(path.lastIndexOf('/') + 1));
        return secret == null ? new Loopback.Answer(404, "{\"status\":404,\"detail\":\"no secret\"}") : new Loopback.Answer(200, secret);
    }

    private static String secret(String name, int version, String... keys) {
        return "{\"namespace\":\"ci\",\"name\":\"" + name + "\",\"keys\":[\"" + String.join("\",\"", keys) + "\"],\"version\":" + version + "}";
    }

    /** The secrets before and after an apply of {@link #manifest} that creates db, updates api and leaves cfg. */
    private void dbCreatedApiUpdatedCfgUnchanged() {
        after.put("db", secret("db", 1, "password", "user"));
        before.put("api", secret("api", 1, "key"));
        after.put("api", secret("api", 2, "key", "url"));
        before.put("cfg", secret("cfg", 3, "mode"));
        after.put("cfg", secret("cfg", 3, "mode"));
    }

    @Test
    void aManifestOfSecretsSaysWhatWasDoneToEachByNameAndKeysAndPrintsNoEmptyTable() throws IOException {
        dbCreatedApiUpdatedCfgUnchanged();

        assertThat(apply(manifest(), "-n", "ci")).as(err.toString()).isZero();

        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "secret ci/db created (keys: password, user)",
                "secret ci/api updated to version 2 (keys: key, url)",
                "secret ci/cfg unchanged").doesNotContain("s3cret", "hunter2", "ZGV2");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void whatTheAnswerSaysTheApplyDidIsSaidNotWhatTheVersionsBeforeAndAfterSuggest() throws IOException {
        after.put("db", secret("db", 1, "password", "user"));
        before.put("api", secret("api", 1, "key", "url"));
        after.put("api", secret("api", 2, "key", "url")); // another writer's, after this apply left it as it was
        before.put("cfg", secret("cfg", 3, "mode"));
        after.put("cfg", secret("cfg", 5, "mode"));
        done = "ci/db created 1, ci/api unchanged 1, ci/cfg updated 4";

        assertThat(apply(manifest(), "-n", "ci")).as(err.toString()).isZero();

        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "secret ci/db created (keys: password, user)",
                "secret ci/api unchanged",
                "secret ci/cfg updated to version 4 (keys: mode)").doesNotContain("version 2", "version 5", "s3cret");
    }

    @Test
    void anAnswerThatDoesNotNameTheManifestsSecretsInOrderIsNotTrusted() throws IOException {
        dbCreatedApiUpdatedCfgUnchanged();
        done = "ci/api created 1, ci/db unchanged 1, ci/cfg unchanged 3";

        assertThat(apply(manifest(), "-n", "ci")).as(err.toString()).isZero();

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("secret ci/db created (keys: password, user)",
                "secret ci/api updated to version 2 (keys: key, url)", "secret ci/cfg unchanged");
    }

    /** platform-api answers a wait that failed once the manifest was written with the header too: the secrets stay. */
    @Test
    void aWaitThatFailsAfterTheWriteStillSaysWhatTheApplyDidToEachSecret() throws IOException {
        done = "ci/db created 1, ci/api unchanged 1, ci/cfg updated 4";
        failure = new Loopback.Answer(422, "{\"type\":\"" + Api.ROLLOUT_FAILED + "\",\"status\":422,\"detail\":\"web: not available\"}");

        assertThat(apply(manifest(), "-n", "ci", "--wait")).isEqualTo(CliException.ROLLOUT_FAILED);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "secret ci/db created (keys: password, user)",
                "secret ci/api unchanged",
                "secret ci/cfg updated to version 4 (keys: mode)",
                "rollout failed: web: not available").doesNotContain("s3cret");
    }

    /** A refusal writes nothing and has no header: no secret is named, and nothing more is asked of the server. */
    @Test
    void aRefusalSaysNothingOfTheSecrets() throws IOException {
        failure = new Loopback.Answer(409, "{\"status\":409,\"detail\":\"changed since\"}");

        assertThat(apply(manifest(), "-n", "ci", "--wait")).isEqualTo(CliException.ROLLOUT_FAILED);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("409: changed since").doesNotContain("secret ci/");
    }

    @Test
    void aDryRunSaysWhichSecretsItWouldCreateAndThatItComparesNoValues() throws IOException {
        before.put("api", secret("api", 1, "key"));
        before.put("cfg", secret("cfg", 3, "mode"));

        assertThat(apply(manifest(), "-n", "ci", "--dry-run")).as(err.toString()).isZero();

        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "secret ci/db would be created (keys: password, user)",
                "secret ci/api would be written (a dry run compares no values: nanolet diff -f says which keys change)")
                .doesNotContain("s3cret");
    }

    private Path manifest() throws IOException {
        return Files.writeString(dir.resolve("secrets.yaml"), """
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: db}
                stringData: {user: app, password: s3cret}
                ---
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: api}
                stringData: {key: hunter2, url: "http://x"}
                ---
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: cfg}
                data: {mode: ZGV2}
                """);
    }

    private int apply(Path file, String... more) {
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("apply", "-f", file.toString(),
                "--server", server.url(), "--token", "t"), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        return Loopback.run(out, err, args);
    }
}
