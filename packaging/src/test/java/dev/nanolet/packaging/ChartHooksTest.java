package dev.nanolet.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's hooks, which {@code helm template} leaves out (rendered through {@link ChartHooks}): the
 * migrations Job is a pre-upgrade hook (pre-install too when the database exists before the release)
 * that runs the db-migrations image with the variables db-migrations reads, from the same Secret as
 * platform-api; the {@code helm test} pod's script really asks platform-api's Service and passes only
 * on a 200 with the admin token; both are created on the CRUD mock API server.
 */
@EnableKubernetesMockClient(crud = true)
class ChartHooksTest {
    static KubernetesClient client;

    private static final Map<String, Object> EXTERNAL_DB = Chart.COMBINATIONS.get("external database");

    private static <T extends HasMetadata> T only(Map<String, List<HasMetadata>> hooks, String file, Class<T> kind) {
        assertThat(hooks.get(file)).as(file).singleElement().isInstanceOf(kind);
        return kind.cast(hooks.get(file).getFirst());
    }

    @Test
    void helmTemplateLeavesTheHooksOutAndTheProbeFindsBoth() {
        assertThat(ChartHooks.hookFiles()).containsOnlyKeys("migrations-job.yaml", "tests/api-answers.yaml");
        List<HasMetadata> release = Chart.render(Map.of());
        assertThat(release).noneMatch(i -> i instanceof Job || i.getMetadata().getName().endsWith("-test-api"));
    }

    @Test
    void migrationsJobIsAPreUpgradeHookRunningDbMigrationsWithWhatItReads() {
        Map<String, List<HasMetadata>> hooks = ChartHooks.render(Map.of());
        Job job = only(hooks, "migrations-job.yaml", Job.class);

        assertThat(job.getMetadata().getAnnotations())
                .containsEntry("helm.sh/hook", "pre-upgrade")
                .containsEntry("helm.sh/hook-weight", "0")
                .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        Container c = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(c.getImage()).matches("nanolet/db-migrations:.+");

        List<String> names = c.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(names).containsExactlyInAnyOrder("NANOLET_DB_URL", "NANOLET_DB_USER", "NANOLET_DB_PASSWORD");
        assertThat(ServiceSettings.of("db-migrations").env()).containsAll(names);
        // the same database, user and password Secret as platform-api's
        Container api = Chart.container(Chart.render(Map.of()), "platform-api");
        assertThat(c.getEnv()).allSatisfy(e -> assertThat(api.getEnv()).contains(e));
    }

    @Test
    void withAnExternalDatabaseTheJobAlsoRunsBeforeInstall() {
        Job job = only(ChartHooks.render(EXTERNAL_DB), "migrations-job.yaml", Job.class);

        assertThat(job.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "pre-install,pre-upgrade");
        assertThat(Chart.env(job.getSpec().getTemplate().getSpec().getContainers().getFirst(), "NANOLET_DB_URL"))
                .contains("jdbc:postgresql://db.example.com:5432/nanolet");
    }

    @Test
    void hooksCanBeTurnedOff() {
        Map<String, List<HasMetadata>> hooks = ChartHooks.render(Map.of("migrations.enabled", false, "tests.enabled", false));

        assertThat(hooks).allSatisfy((file, items) -> assertThat(items).as(file).isEmpty());
    }

    @Test
    void helmTestPodAsksPlatformApisServiceWithTheAdminToken() throws Exception {
        Pod pod = only(ChartHooks.render(Map.of()), "tests/api-answers.yaml", Pod.class);
        List<HasMetadata> release = Chart.render(Map.of());

        assertThat(pod.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "test")
                .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        Container test = pod.getSpec().getContainers().getFirst();
        Container api = Chart.container(release, "platform-api");
        assertThat(test.getImage()).isEqualTo(api.getImage());
        EnvVar token = test.getEnv().stream().filter(e -> e.getName().equals("NANOLET_ADMIN_TOKEN")).findFirst().orElseThrow();
        assertThat(api.getEnv()).contains(token);
        assertThat(ServiceSettings.of("platform-api").env()).contains(token.getName());

        String script = test.getArgs().getFirst();
        Matcher target = Pattern.compile("/dev/tcp/([^/\\s]+)/(\\d+)").matcher(script);
        assertThat(target.find()).as(script).isTrue();
        Service service = Chart.find(release, Service.class, "-platform-api").orElseThrow();
        assertThat(target.group(1)).isEqualTo(service.getMetadata().getName());
        assertThat(Integer.parseInt(target.group(2))).isEqualTo(service.getSpec().getPorts().getFirst().getPort());
        assertThat(script).contains("GET /api/v1/nodes ");
        assertThat(Repo.read("platform-api/src/main/java/dev/nanolet/platform/node/NodeApi.java"))
                .contains("@RequestMapping(\"/api/v1/nodes\")");

        // the script, run by bash against a stand-in for platform-api: passes on 200, fails on 401
        assertThat(runTestScript(test, script, target, "right-token")).isZero();
        assertThat(runTestScript(test, script, target, "wrong-token")).isNotZero();
    }

    /** Runs the test pod's command with its host:port pointed at a local server that wants {@code Bearer right-token}. */
    private static int runTestScript(Container test, String script, Matcher target, String token) throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/api/v1/nodes", exchange -> {
            boolean ok = "Bearer right-token".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (ok ? "[]" : "{\"status\":401}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        try {
            String local = script.replace(target.group(0), "/dev/tcp/127.0.0.1/" + api.getAddress().getPort());
            List<String> command = new java.util.ArrayList<>(test.getCommand());
            command.add(local);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("NANOLET_ADMIN_TOKEN", token);
            Process p = pb.start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return p.exitValue();
        } finally {
            api.stop(0);
        }
    }

    @Test
    void hookResourcesAreCreatedOnTheMockApiServer() {
        for (Map<String, Object> values : List.of(Map.<String, Object>of(), EXTERNAL_DB)) {
            List<HasMetadata> hooks = ChartHooks.render(values).values().stream().flatMap(List::stream).toList();
            assertThat(hooks).hasSize(2);
            for (HasMetadata item : hooks) {
                var resource = client.resource(item).inNamespace(Chart.NAMESPACE);
                resource.create();
                assertThat(resource.get()).as(item.getKind()).isNotNull()
                        .satisfies(read -> assertThat(read.getMetadata().getAnnotations()).containsKey("helm.sh/hook"));
                resource.delete();
            }
        }
    }
}
