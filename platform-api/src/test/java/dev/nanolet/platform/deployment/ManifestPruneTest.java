package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.deployment.DeploymentConcurrencyTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Labels from manifests and {@code apply?prune=true&selector=}: deletes only what it selects, in the set's namespaces. */
@PlatformApiTest
class ManifestPruneTest extends NamespaceTestBase {
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ManifestPrune prune;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    DataSource dataSource;

    String other;

    @BeforeEach
    void otherNamespace() {
        other = ns + "-other";
    }

    String doc(String namespace, String name, String labels) {
        return "apiVersion: nanolet.dev/v1\nkind: Deployment\nmetadata: {name: " + name + ", namespace: " + namespace
                + (labels == null ? "" : ", labels: " + labels) + "}\nspec: {module: \"" + module + "\", job: {}}\n";
    }

    Response post(String path, String yaml) {
        return post(admin, path, yaml);
    }

    int status(String namespace, String name) {
        return admin.get("/api/v1/namespaces/" + namespace + "/deployments/" + name).status();
    }

    void applyAll() {
        Response r = post("/api/v1/apply", doc(ns, "web", "{app: shop}") + "---\n" + doc(ns, "api", "{app: shop, tier: back}")
                + "---\n" + doc(ns, "blog", "{app: blog}") + "---\n" + doc(ns, "bare", null) + "---\n" + doc(other, "api", "{app: shop}"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void labelsAreStoredAndShownAndReplacedByTheNextApply() {
        applyAll();
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/deployments/api").json().path("labels").toString())
                .isEqualTo("{\"app\":\"shop\",\"tier\":\"back\"}");

        assertThat(post("/api/v1/apply", doc(ns, "api", "{app: shop}")).status()).isEqualTo(200);
        var api1 = admin.get("/api/v1/namespaces/" + ns + "/deployments/api").json();
        assertThat(api1.path("labels").toString()).isEqualTo("{\"app\":\"shop\"}");
        assertThat(api1.path("generation").asInt()).as("labels are metadata: no new generation").isEqualTo(1);
    }

    @Test
    void pruneDeletesWhatTheSetNoLongerHoldsAmongTheSelectedInItsNamespacesOnly() {
        applyAll();

        Response r = post("/api/v1/apply?prune=true&selector=app=shop", doc(ns, "web", "{app: shop}"));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("applied").get(0).path("name").asString()).isEqualTo("web");
        assertThat(r.json().path("pruned").toString()).isEqualTo("[{\"namespace\":\"" + ns + "\",\"name\":\"api\"}]");
        assertThat(status(ns, "api")).isEqualTo(404);
        assertThat(status(ns, "web")).isEqualTo(200);
        assertThat(status(ns, "blog")).isEqualTo(200);
        assertThat(status(ns, "bare")).isEqualTo(200);
        assertThat(status(other, "api")).as("another namespace is out of scope").isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE method = 'DELETE' AND path = ?", Integer.class,
                "/api/v1/namespaces/" + ns + "/deployments/api")).isEqualTo(1);
    }

    @Test
    void aNamespaceNamedOnlyByASecretDocumentIsPrunedToo() {
        applyAll();
        String secretOnly = "apiVersion: nanolet.dev/v1\nkind: Secret\nmetadata: {name: cfg, namespace: " + ns
                + "}\nstringData: {mode: fast}\n";
        String both = "[{\"namespace\":\"" + ns + "\",\"name\":\"api\"},{\"namespace\":\"" + ns + "\",\"name\":\"web\"}]";
        Response dry = post("/api/v1/apply?dryRun=All&prune=true&selector=app=shop", secretOnly);
        assertThat(dry.json().path("pruned").toString()).as(dry.body()).isEqualTo(both);
        Response diff = post("/api/v1/diff?prune=true&selector=app=shop", secretOnly);
        assertThat(diff.json().path("documents").valueStream().filter(d -> d.path("action").asString().equals("deleted"))
                .map(d -> d.path("name").asString())).as(diff.body()).containsExactly("api", "web");

        Response r = post("/api/v1/apply?prune=true&selector=app=shop", secretOnly);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("pruned").toString()).as("the team removed its last deployments from the manifest")
                .isEqualTo(both);
        assertThat(status(ns, "web")).isEqualTo(404);
        assertThat(status(ns, "blog")).isEqualTo(200);
        assertThat(status(other, "api")).as("another namespace is out of scope").isEqualTo(200);
    }

    @Test
    void aDryRunAndADiffNameWhatWouldBePrunedAndDeleteNothing() {
        applyAll();
        jdbc.update("INSERT INTO nodes (name, capacity_instances, capacity_memory_mib, address) "
                + "VALUES (?, 100, 65536, 'http://dry:8181')", ns);
        jdbc.update("INSERT INTO node_leases (node_name, renewed_at) VALUES (?, now())", ns);
        try {
            dryRunAndDiff();
        } finally {
            jdbc.update("DELETE FROM nodes WHERE name = ?", ns);
        }
    }

    void dryRunAndDiff() {

        Response dry = post("/api/v1/apply?dryRun=All&prune=true&selector=app=shop,tier=back", doc(ns, "web", "{app: shop}"));
        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        assertThat(dry.json().path("pruned").toString()).isEqualTo("[{\"namespace\":\"" + ns + "\",\"name\":\"api\"}]");

        Response diff = post("/api/v1/diff?prune=true&selector=app=shop", doc(ns, "web", "{app: shop}"));
        assertThat(diff.status()).as(diff.body()).isEqualTo(200);
        assertThat(diff.json().path("documents").get(1).path("action").asString()).isEqualTo("deleted");
        assertThat(diff.json().path("documents").get(1).path("name").asString()).isEqualTo("api");
        assertThat(status(ns, "api")).isEqualTo(200);
    }

    @Test
    void badLabelsSelectorsAndCombinationsAreRefusedAndNothingIsWritten() {
        applyAll();

        Response badLabel = post("/api/v1/apply", doc(ns, "web", "{\"-bad\": x, ok: \"no spaces\"}"));
        assertThat(badLabel.status()).isEqualTo(422);
        assertThat(badLabel.errorFields()).containsExactlyInAnyOrder("documents[0].metadata.labels.-bad", "documents[0].metadata.labels.ok");
        assertThat(post("/api/v1/apply?prune=true", doc(ns, "web", null)).status()).isEqualTo(400);
        assertThat(post("/api/v1/apply?prune=true&selector=app", doc(ns, "web", null)).status()).isEqualTo(400);
        assertThat(post("/api/v1/apply?selector=app=shop", doc(ns, "web", null)).status()).isEqualTo(400);
        assertThat(post("/api/v1/apply?prune=true&selector=app=shop&wait=true&atomic=true", doc(ns, "web", null)).status()).isEqualTo(400);
        assertThat(status(ns, "api")).isEqualTo(200);
    }

    /**
     * Prune selects without a lock; a relabel committed between that read and the delete must win: the row is read
     * again under the lock, so the deployment no longer matches and is kept, with its new labels (not written back).
     */
    @Test
    void aDeploymentRelabelledOutOfTheSelectorAfterPruneSelectedItIsKept() {
        applyAll();
        var kept = List.of(new ManifestDocuments.Manifest(0, ns, "web", null, Map.of("app", "shop"), null, null));
        Map<String, String> selector = Map.of("app", "shop");

        List<ManifestPrune.Pruned> pruned = new TransactionTemplate(transactions).execute(tx -> {
            List<ManifestPrune.Pruned> selected = prune.candidates(kept, selector);
            assertThat(selected).containsExactly(new ManifestPrune.Pruned(ns, "api"));
            relabelElsewhere("api", "{\"app\": \"moved\"}");
            return prune.prune(selected, selector);
        });

        assertThat(pruned).isEmpty();
        assertThat(status(ns, "api")).isEqualTo(200);
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/deployments/api").json().path("labels").toString())
                .isEqualTo("{\"app\":\"moved\"}");
    }

    /**
     * Prune chooses what it deletes once it holds the routes lock, before it locks any deployment row: a matching
     * deployment that a request holding that lock created while the prune waited for it (a create of a route, a manifest
     * of several documents) is pruned too, as if the two had run one after the other. Chosen before the wait, it was
     * kept, though the prune committed after it.
     */
    @Test
    void aMatchingDeploymentCreatedWhilePruneWaitedForTheRoutesLockIsPruned() throws Exception {
        applyAll();
        CompletableFuture<Response> pruning;
        try (Connection creator = dataSource.getConnection()) {
            creator.setAutoCommit(false);
            run(creator, "SELECT 1 FROM pg_advisory_xact_lock(?)", DeploymentWriter.ROUTES_LOCK);
            String spec = "{\"module\":\"" + module + "\",\"job\":{}}";
            run(creator, """
                    WITH d AS (INSERT INTO deployments (namespace, name, current_revision, spec, labels)
                               VALUES (?, 'late', 1, ?::jsonb, '{"app": "shop"}') RETURNING id)
                    INSERT INTO revisions (deployment_id, revision, generation, spec, module_digest)
                    SELECT id, 1, 1, ?::jsonb, ? FROM d""", ns, spec, spec, module);
            pruning = CompletableFuture.supplyAsync(() -> post("/api/v1/apply?prune=true&selector=app=shop", doc(ns, "web", "{app: shop}")));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingForTheRoutesLock() >= 1 || pruning.isDone());
            creator.commit();
        }
        Response r = pruning.get(20, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("pruned").toString()).contains("\"name\":\"late\"", "\"name\":\"api\"");
        assertThat(status(ns, "late")).isEqualTo(404);
    }

    private int waitingForTheRoutesLock() {
        return jdbc.queryForObject("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", Integer.class);
    }

    /** Another connection, committed at once: another client's write while this test's transaction runs. */
    void relabelElsewhere(String name, String labels) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement(
                        "UPDATE deployments SET labels = ?::jsonb WHERE namespace = ? AND name = ? AND deleted_at IS NULL")) {
            c.setAutoCommit(true);
            update.setString(1, labels);
            update.setString(2, ns);
            update.setString(3, name);
            assertThat(update.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
