package dev.nanolet.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The environment variables and ports that helm/nanolet, docker-compose.yml and docker/Dockerfile
 * give each service are ones the service reads (from its sources, at test time): renaming a
 * property breaks this test, not a user's install.
 */
class EnvContractTest {
    private static final List<String> SERVICES = List.of("platform-api", "admin-ui", "node-agent", "db-migrations");

    private static Set<String> readBy(String service) {
        return new HashSet<>(ServiceSettings.of(service).env());
    }

    /** The scan of the sources finds what it must, so an empty scan cannot pass the checks below. */
    @Test
    void scanFindsWhatEachServiceReads() {
        for (String service : SERVICES) {
            assertThat(ServiceSettings.of(service).env()).as(service).contains(anyReadBy(service));
        }
    }

    private static String anyReadBy(String service) {
        return switch (service) {
            case "platform-api", "db-migrations" -> "NANOLET_DB_URL";
            case "admin-ui" -> "NANOLET_PLATFORM_URL";
            default -> "NANOLET_NODE_TOKEN";
        };
    }

    @Test
    void chartSetsOnlyVariablesTheServicesRead() {
        for (var combination : Chart.COMBINATIONS.entrySet()) {
            List<HasMetadata> items = Chart.render(combination.getValue());
            for (Container c : Chart.containers(items)) {
                if (!SERVICES.contains(c.getName())) {
                    continue;
                }
                assertThat(c.getEnv().stream().map(EnvVar::getName).filter(n -> n.startsWith("NANOLET_")))
                        .as("%s: env of %s", combination.getKey(), c.getName())
                        .isSubsetOf(readBy(c.getName()));
            }
        }
    }

    @Test
    void chartPortsAreTheServicesPorts() {
        List<HasMetadata> items = Chart.render(Map.of());
        for (String service : List.of("platform-api", "admin-ui", "node-agent")) {
            Container c = Chart.container(items, service);
            int port = ServiceSettings.of(service).serverPort();
            assertThat(c.getPorts()).as(service).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(port);
            });
        }
    }

    @Test
    void composeSetsOnlyVariablesTheServicesReadAndPublishesTheirPorts() {
        Map<String, Map<String, Object>> services = composeServices();
        int checked = 0;
        for (var entry : services.entrySet()) {
            String image = String.valueOf(entry.getValue().get("image"));
            String service = SERVICES.stream().filter(s -> image.startsWith("nanolet/" + s + ":")).findFirst().orElse(null);
            if (service == null) {
                continue;
            }
            checked++;
            assertThat(environment(entry.getValue()).keySet()).as("environment of compose service " + entry.getKey()).isSubsetOf(readBy(service));
            @SuppressWarnings("unchecked")
            List<String> ports = (List<String>) entry.getValue().getOrDefault("ports", List.of());
            for (String published : ports) {
                assertThat(published).as(entry.getKey()).startsWith("127.0.0.1:")
                        .endsWith(":" + ServiceSettings.of(service).serverPort());
            }
        }
        assertThat(checked).as("compose services on Nanolet's images").isGreaterThanOrEqualTo(5);
    }

    /** docs/install.md's rotation sets the old key as NANOLET_SECRETS_KEY_PREVIOUS in .env: compose passes it on. */
    @Test
    void composePassesThePreviousSecretsKeyOfARotationFromTheEnvFile() {
        assertThat(composeServices().get("platform-api").get("environment"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("NANOLET_SECRETS_KEY_PREVIOUS", "${NANOLET_SECRETS_KEY_PREVIOUS:-}");
    }

    /**
     * admin-ui's "try it" calls NANOLET_ROUTE_URL from its own container (docs/admin-ui.md), where
     * {@code localhost} is admin-ui itself and a published host port is nothing: it must name a node
     * agent's compose service and the port that node listens on inside the network.
     */
    @Test
    void composeTryItCallsANodeAgentAdminUiCanReach() {
        Map<String, Map<String, Object>> services = composeServices();
        String url = String.valueOf(environment(services.get("admin-ui")).get("NANOLET_ROUTE_URL"));
        assertThat(url).as("NANOLET_ROUTE_URL: a host and port inside the compose network").matches("http://[-a-z0-9]+:\\d+");
        URI route = URI.create(url);

        assertThat(services).as("compose service named by NANOLET_ROUTE_URL " + route).containsKey(route.getHost());
        assertThat(String.valueOf(services.get(route.getHost()).get("image"))).startsWith("nanolet/node-agent:");
        assertThat(route.getPort()).isEqualTo(ServiceSettings.of("node-agent").serverPort());
    }

    @Test
    void composeExamplesSetWhatTheDeployScriptReads() {
        Map<String, Object> env = environment(composeServices().get("examples"));
        String script = Repo.read("docker/deploy-examples.sh");

        assertThat(env.keySet()).allSatisfy(name -> assertThat(script).contains("${" + name));
    }

    /**
     * When deploy-examples.sh gives up waiting for platform-api it tells the user that NANOLET_WAIT_SECONDS waits longer, and
     * docs/install.md says to set it in .env: compose passes it on, with the script's own default.
     */
    @Test
    void composePassesTheExamplesWaitFromTheEnvFile() {
        assertThat(environment(composeServices().get("examples"))).containsEntry("NANOLET_WAIT_SECONDS", "${NANOLET_WAIT_SECONDS:-180}");
        assertThat(Repo.read("docker/deploy-examples.sh")).contains("${NANOLET_WAIT_SECONDS:-180}");
    }

    @Test
    void dockerfileHealthChecksUseEachServicesPortVariableAndDefault() {
        var port = Pattern.compile("\\$\\{(NANOLET_[A-Z_]+):-(\\d+)}").matcher(Repo.read("docker/Dockerfile"));
        int checked = 0;
        while (port.find()) {
            String name = port.group(1);
            int value = Integer.parseInt(port.group(2));
            assertThat(SERVICES).as(name + ":-" + value)
                    .anyMatch(s -> ServiceSettings.of(s).env().contains(name) && ServiceSettings.of(s).serverPort() == value);
            checked++;
        }
        assertThat(checked).isEqualTo(3);
    }

    @Test
    void dockerfileSetsOnlyVariablesAServiceReads() {
        var env = Pattern.compile("(?m)^ENV (NANOLET_[A-Z0-9_]+)=").matcher(Repo.read("docker/Dockerfile"));
        while (env.find()) {
            String name = env.group(1);
            assertThat(SERVICES).as("ENV " + name).anyMatch(s -> readBy(s).contains(name));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        return (Map<String, Object>) service.getOrDefault("environment", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> composeServices() {
        Map<String, Object> compose = new Yaml().load(Repo.read("docker-compose.yml"));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }
}
