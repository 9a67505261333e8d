package dev.nanolet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.wire.Deployment;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline of docs/ci.md with real processes: platform-api, a real node agent and the CLI jar.
 * An admin mints a deployer token for namespace {@code pipeline}; with it the CLI pushes and applies
 * with --wait (success, and the route answers through the node's data plane), fails a rollout with
 * the reason the node reported for the real module (and --atomic rolls it back), dry-runs without
 * writing (apply, scale, rollout undo and delete alike; the admin's {@code audit} lists the dry run apart from the real
 * writes, the deployer's is refused), says what each apply did to a secret (created, updated to version N), deletes a secret only once no deployment uses it, and is refused another
 * namespace (exit 3).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliE2eTest {
    @RegisterExtension
    static final SharedPlatform shared = new SharedPlatform();
    static LocalPlatform platform;
    @TempDir
    static Path repo;
    static ServiceProcess node;
    static CliProcess deployer;
    static CliProcess admin;
    static String deployerToken;

    @BeforeAll
    static void start() throws Exception {
        platform = shared.platform();
        node = shared.node();
        Files.copy(Paths.example("hello"), repo.resolve("hello.wasm"));
        Files.copy(Paths.example("job"), repo.resolve("job.wasm"));
        admin = new CliProcess(repo, Map.of("NANOLET_SERVER", platform.apiUrl(), "NANOLET_TOKEN", platform.adminToken,
                "NANOLET_CONFIG", repo.resolve("admin-config.json").toString()));
        CliProcess.Result token = admin.run("tokens", "create", "ci", "--role", "deployer", "-n", "pipeline");
        assertThat(token.exitCode()).as(token.stderr()).isZero();
        deployerToken = token.stdout().strip();
        deployer = new CliProcess(repo, Map.of("NANOLET_SERVER", platform.apiUrl(), "NANOLET_TOKEN", deployerToken,
                "NANOLET_NAMESPACE", "pipeline", "NANOLET_CONFIG", repo.resolve("config.json").toString()));
    }

    static Path manifest(String name, String yaml) throws Exception {
        return Files.writeString(repo.resolve(name), yaml);
    }

    static String job(String name, String exitCode, String policy) {
        return """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: %s}
                spec:
                  module: file:job.wasm
                  job: {restartPolicy: %s}
                  args: ["%s"]
                """.formatted(name, policy, exitCode);
    }

    @Test
    @Order(1)
    void pushAndApplyWithWaitAnswersOnceTheRolloutIsComplete() throws Exception {
        CliProcess.Result push = deployer.run("push", "hello.wasm");
        assertThat(push.exitCode()).as(push.stderr()).isZero();
        assertThat(push.stdout().strip()).startsWith("sha256:");

        manifest("app.yaml", """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: hello}
                spec: {module: "file:hello.wasm", http: {path: /pipeline-hello}, replicas: 1}
                ---
                """ + job("migrate", "0", "Never"));
        CliProcess.Result apply = deployer.run("apply", "-f", "app.yaml", "--wait", "--timeout", "90s");

        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        assertThat(apply.stderr()).contains("applying 2 document(s)");
        assertThat(apply.stdout()).contains("hello").contains("RolloutComplete");
        assertThat(apply.stdout()).containsPattern("hello\\s+1\\s+1/1\\s+RolloutComplete");

        CliProcess.Result status = deployer.run("rollout", "status", "hello", "--timeout", "5s");
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        CliProcess.Result json = deployer.run("get", "deployments", "-o", "json");
        assertThat(json.stdout()).contains("\"name\" : \"hello\"");
        await("the route answers through the node's data plane").pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    HttpResponse<String> answer = ApiClient.get(node.url() + "/pipeline-hello");
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    assertThat(answer.body()).isEqualTo("Hello from Wasm\n");
                });
    }

    @Test
    @Order(2)
    void aFailingRolloutExits1WithTheReasonAndAtomicRollsBack() throws Exception {
        manifest("batch.yaml", job("batch", "0", "Never"));
        assertThat(deployer.run("apply", "-f", "batch.yaml", "--wait", "--timeout", "90s").exitCode()).isZero();

        manifest("batch.yaml", job("batch", "3", "Never"));
        CliProcess.Result failed = deployer.run("apply", "-f", "batch.yaml", "--wait", "--timeout", "90s", "--atomic");

        assertThat(failed.exitCode()).as(failed.stdout() + failed.stderr()).isEqualTo(1);
        assertThat(failed.stderr()).contains("rollout failed").contains("documents[0] (Deployment pipeline/batch)")
                .contains("(ReplicaFailure)").contains("replicas: Failed ExitCode: exit code 3").contains("rolled back to revision 1");
        CliProcess.Result now = deployer.run("get", "deployment", "batch", "-o", "json");
        assertThat(now.stdout()).contains("\"revision\" : 3").containsPattern("\"args\" : \\[ \"0\" \\]");
    }

    @Test
    @Order(3)
    void aDryRunWritesNothing() throws Exception {
        manifest("dry.yaml", job("dry", "0", "Never"));
        CliProcess.Result dry = deployer.run("apply", "-f", "dry.yaml", "--dry-run");
        assertThat(dry.exitCode()).as(dry.stderr()).isZero();
        assertThat(dry.stderr()).contains("nothing written");

        CliProcess.Result get = deployer.run("get", "deployment", "dry");
        assertThat(get.exitCode()).isEqualTo(1);
        assertThat(get.stderr()).contains("404");

        CliProcess.Result dryRuns = admin.run("audit", "-A", "--actor", "ci", "--dry-runs=only", "-o", "json");
        assertThat(dryRuns.exitCode()).as(dryRuns.stderr()).isZero();
        assertThat(dryRuns.stdout()).contains("\"path\" : \"/api/v1/apply\"").contains("\"dryRun\" : true")
                .doesNotContain("\"dryRun\" : false");
        CliProcess.Result writes = admin.run("audit", "-n", "pipeline", "--actor", "ci", "--dry-runs=none");
        assertThat(writes.exitCode()).as(writes.stderr()).isZero();
        assertThat(writes.stdout()).contains("/api/v1/namespaces/pipeline/deployments/hello").doesNotContain("/api/v1/apply");
        CliProcess.Result refused = deployer.run("audit");
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.stderr()).contains("403 forbidden").contains("needs role admin");
    }

    @Test
    @Order(4)
    void anotherNamespaceIsRefusedWithExit3AndABadManifestWithExit2() throws Exception {
        CliProcess.Result other = deployer.run("apply", "-f", "dry.yaml", "-n", "production");
        assertThat(other.exitCode()).as(other.stderr()).isEqualTo(3);
        assertThat(other.stderr()).contains("needs role deployer in namespace production");

        manifest("bad.yaml", "apiVersion: nanolet.dev/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {module: \"file:hello.wasm\", replicas: 5000}\n");
        CliProcess.Result bad = deployer.run("apply", "-f", "bad.yaml");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("documents[0].spec.replicas");

        CliProcess.Result unreachable = new CliProcess(repo, Map.of("NANOLET_SERVER", "http://127.0.0.1:" + Paths.freePort(),
                "NANOLET_TOKEN", "x", "NANOLET_CONFIG", repo.resolve("none.json").toString())).run("get", "deployments");
        assertThat(unreachable.exitCode()).isEqualTo(4);
    }

    @Test
    @Order(5)
    void diffExits0WithoutChangesAnd1WithTheChangedFields() throws Exception {
        CliProcess.Result same = deployer.run("diff", "-f", "app.yaml");
        assertThat(same.exitCode()).as(same.stdout() + same.stderr()).isZero();
        assertThat(same.stdout()).contains("unchanged Deployment pipeline/hello");

        manifest("app2.yaml", Files.readString(repo.resolve("app.yaml")).replace("replicas: 1", "replicas: 2"));
        CliProcess.Result changed = deployer.run("diff", "-f", "app2.yaml");
        assertThat(changed.exitCode()).as(changed.stdout() + changed.stderr()).isEqualTo(1);
        assertThat(changed.stdout()).contains("changed Deployment pipeline/hello").contains("spec.replicas: 1 -> 2")
                .doesNotContain("(new revision)");
        assertThat(deployer.run("get", "deployment", "hello", "-o", "json").stdout()).contains("\"replicas\" : 1");
    }

    @Test
    @Order(6)
    void applyPruneDeletesTheLabelledDeploymentsTheManifestNoLongerHolds() throws Exception {
        String labelled = """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: %s, labels: {app: shop}}
                spec: {module: "file:job.wasm", job: {}, args: ["0"]}
                """;
        manifest("shop.yaml", labelled.formatted("shop-a") + "---\n" + labelled.formatted("shop-b"));
        CliProcess.Result both = deployer.run("apply", "-f", "shop.yaml");
        assertThat(both.exitCode()).as(both.stderr()).isZero();

        manifest("shop.yaml", labelled.formatted("shop-a"));
        CliProcess.Result dry = deployer.run("apply", "-f", "shop.yaml", "--prune", "-l", "app=shop", "--dry-run");
        assertThat(dry.exitCode()).as(dry.stderr()).isZero();
        assertThat(dry.stderr()).contains("deployment pipeline/shop-b would be pruned");
        assertThat(deployer.run("get", "deployment", "shop-b").exitCode()).isZero();

        CliProcess.Result pruned = deployer.run("apply", "-f", "shop.yaml", "--prune", "-l", "app=shop");
        assertThat(pruned.exitCode()).as(pruned.stderr()).isZero();
        assertThat(pruned.stderr()).contains("deployment pipeline/shop-b pruned");
        assertThat(deployer.run("get", "deployment", "shop-b").exitCode()).isEqualTo(1);
        assertThat(deployer.run("get", "deployment", "hello").exitCode()).as("unlabelled: not selected").isZero();
    }

    /** What a dry run must leave as it was: spec, generation, revision and when the deployment last changed. */
    static String state(String name) {
        Deployment d = platform.client().get("pipeline", name);
        return d.spec() + " generation " + d.generation() + " revision " + d.revision() + " updated " + d.updatedAt();
    }

    static CliProcess.Result ok(String... args) {
        CliProcess.Result r = deployer.run(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.stderr()).isZero();
        return r;
    }

    @Test
    @Order(7)
    void scaleRolloutUndoAndDeleteWithDryRunSayWhatWouldHappenAndChangeNothing() throws Exception {
        String steady = """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: steady}
                spec: {module: "file:hello.wasm", http: {path: /pipeline-steady}, replicas: 1, env: {MODE: %s}}
                """;
        ok("apply", "-f", manifest("steady.yaml", steady.formatted("a")).toString());
        ok("apply", "-f", manifest("steady.yaml", steady.formatted("b")).toString());
        String before = state("steady");

        assertThat(ok("scale", "steady", "--replicas", "3", "--dry-run").stderr())
                .contains("deployment pipeline/steady would be scaled to 3 replica(s) (dry run: nothing written)");
        CliProcess.Result undo = ok("rollout", "undo", "steady", "--dry-run", "-o", "json");
        assertThat(undo.stderr()).contains("deployment pipeline/steady would be rolled back to revision 1 (dry run: nothing written)")
                .doesNotContain("rolling");
        assertThat(undo.stdout()).as("answered as the rollback would be").contains("\"MODE\" : \"a\"").contains("\"revision\" : 3");
        assertThat(ok("delete", "deployment", "steady", "--dry-run").stderr())
                .contains("deployment pipeline/steady would be deleted (dry run: nothing written)");
        assertThat(deployer.run("delete", "deployment", "steady#", "--dry-run").exitCode()).as("no deployment steady#, and no real delete of steady")
                .isNotZero();
        assertThat(state("steady")).isEqualTo(before);

        assertThat(ok("scale", "steady", "--replicas", "3").stderr()).contains("deployment pipeline/steady scaled to 3 replica(s)")
                .doesNotContain("would");
        assertThat(platform.client().get("pipeline", "steady").spec().replicas()).isEqualTo(3);
        assertThat(ok("rollout", "undo", "steady").stderr()).contains("deployment pipeline/steady rolled back to revision 1");
        Deployment rolledBack = platform.client().get("pipeline", "steady");
        assertThat(rolledBack.revision()).isEqualTo(3);
        assertThat(rolledBack.spec().env()).containsEntry("MODE", "a");
        assertThat(ok("delete", "deployment", "steady").stderr()).contains("deployment pipeline/steady deleted");
        assertThat(platform.client().exists("pipeline", "steady")).isFalse();
    }

    @Test
    @Order(8)
    void deleteSecretIsRefusedWhileUsedAndWithDryRunLeavesTheSecret() throws Exception {
        String secret = """
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: vault}
                stringData: {password: %s}
                """;
        assertThat(ok("apply", "-f", manifest("vault-secret.yaml", secret.formatted("first")).toString()).stderr())
                .as("what platform-api's answer says").contains("secret pipeline/vault created (keys: password)");
        assertThat(ok("apply", "-f", manifest("vault-secret.yaml", secret.formatted("second")).toString()).stderr())
                .contains("secret pipeline/vault updated to version 2 (keys: password)");
        CliProcess.Result applied = ok("apply", "-f", manifest("vault.yaml", """
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: vault}
                stringData: {password: hunter2}
                ---
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: vault-user}
                spec:
                  module: file:job.wasm
                  job: {restartPolicy: Never}
                  args: ["0"]
                  env: {PASSWORD: {valueFrom: {secret: vault, key: password}}}
                """).toString());
        assertThat(applied.stderr()).contains("secret pipeline/vault updated to version 3 (keys: password)");

        CliProcess.Result used = deployer.run("delete", "secret", "vault", "--dry-run");
        assertThat(used.exitCode()).as(used.stderr()).isEqualTo(1);
        assertThat(used.stderr()).contains("409").contains("secret pipeline/vault is used by deployment vault-user");
        assertThat(deployer.run("delete", "secret", "vault").exitCode()).isEqualTo(1);
        ok("delete", "deployment", "vault-user");

        assertThat(ok("delete", "secret", "vault", "--dry-run").stderr())
                .contains("secret pipeline/vault would be deleted (dry run: nothing written)");
        assertThat(ok("get", "secret", "vault").stdout()).contains("vault").contains("password");

        assertThat(ok("delete", "secret", "vault").stderr()).contains("secret pipeline/vault deleted").doesNotContain("would");
        CliProcess.Result gone = deployer.run("get", "secret", "vault");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stderr()).contains("404").contains("no secret pipeline/vault");
        CliProcess.Result again = deployer.run("delete", "secret", "vault", "--dry-run");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("404: no secret pipeline/vault");
    }

    /**
     * The deployer's token is granted only in pipeline: a login without -n saves that namespace, and later commands use it.
     * Both run the built jar itself ({@code java -jar}), as a pipeline does; the other tests run its classes out of it.
     */
    @Test
    @Order(9)
    void loginWithoutANamespaceSavesTheTokensOnlyNamespace() {
        CliProcess fresh = new CliProcess(repo, Map.of("NANOLET_CONFIG", repo.resolve("login.json").toString()));
        CliProcess.Result login = fresh.runJar("login", "--server", platform.apiUrl(), "--token", deployerToken);
        assertThat(login.exitCode()).as(login.stderr()).isZero();
        assertThat(login.stderr()).contains("(namespace pipeline)");

        CliProcess.Result get = fresh.runJar("get", "deployments");
        assertThat(get.exitCode()).as(get.stderr()).isZero();
        assertThat(get.stdout()).as("the deployments of pipeline").contains("hello");
    }

    /**
     * get events takes the API's type and limit; a deployment at its first revision has nothing to undo: exit 1 with and
     * without --dry-run, told from bad usage (2); a --timeout above the API's 1h is refused before the module is uploaded.
     */
    @Test
    @Order(10)
    void eventsByTypeAndLimitNothingToUndoAndTooLongATimeout() throws Exception {
        ok("apply", "-f", manifest("once.yaml", job("once", "0", "Never")).toString());
        String warnings = ok("get", "events", "--type", "Warning", "--limit", "1000", "-o", "json").stdout();
        assertThat(warnings).doesNotContain("\"type\" : \"Normal\"");
        String normal = ok("get", "events", "--type", "Normal", "--limit", "1", "-o", "json").stdout();
        assertThat(normal).contains("\"type\" : \"Normal\"").doesNotContain("\"type\" : \"Warning\"");
        assertThat(normal.split("\"id\" :", -1)).as("one event: %s", normal).hasSize(2);
        assertThat(deployer.run("get", "events", "--limit", "1001").exitCode()).isEqualTo(2);

        for (String[] undo : new String[][] {{"rollout", "undo", "once"}, {"rollout", "undo", "once", "--dry-run"}}) {
            CliProcess.Result nothing = deployer.run(undo);
            assertThat(nothing.exitCode()).as(nothing.stderr()).isEqualTo(1);
            assertThat(nothing.stderr()).contains("nothing to undo: deployment pipeline/once has no revision before its current one, 1");
        }
        assertThat(platform.client().get("pipeline", "once").revision()).isEqualTo(1);

        CliProcess.Result tooLong = deployer.run("apply", "-f", "app.yaml", "--wait", "--timeout", "2h");
        assertThat(tooLong.exitCode()).as(tooLong.stderr()).isEqualTo(2);
        assertThat(tooLong.stderr()).contains("--timeout: must be at most 1h; nothing was sent").doesNotContain("uploading");
    }
}
