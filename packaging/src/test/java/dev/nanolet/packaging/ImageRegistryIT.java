package dev.nanolet.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nanolet's images go through a registry as a user's do: built (once per run: {@link Images#build}), pushed to Debian's docker-registry
 * on a loopback port, removed here, pulled back, and still the same image with its OCI labels.
 */
class ImageRegistryIT {
    private static final List<String> SERVICES = List.of("db-migrations", "platform-api", "node-agent", "admin-ui");
    private Process registry;
    private int port;

    @BeforeEach
    void startRegistry() throws IOException {
        port = FreePort.next();
        Path dir = Files.createTempDirectory("nanolet-registry");
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log: {level: warn}
                storage: {filesystem: {rootdirectory: %s}}
                http: {addr: "127.0.0.1:%d"}
                """.formatted(dir.resolve("data"), port));
        registry = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    @AfterEach
    void stopRegistry() {
        registry.destroy();
    }

    @Test
    void imagesRoundTripThroughARegistryOnLoopback() {
        Images.build();

        for (String service : SERVICES) {
            String local = "nanolet/" + service + ":" + Images.VERSION;
            String remote = "127.0.0.1:" + port + "/" + local;
            String id = inspect(local, "{{.Id}}");
            Docker.run(Map.of(), Duration.ofMinutes(1), "docker", "tag", local, remote);
            Docker.run(Map.of(), Duration.ofMinutes(5), "docker", "push", remote);
            Docker.run(Map.of(), Duration.ofMinutes(1), "docker", "rmi", remote);
            assertThat(Images.exists(remote)).isFalse();

            Docker.run(Map.of(), Duration.ofMinutes(5), "docker", "pull", remote);

            assertThat(inspect(remote, "{{.Id}}")).isEqualTo(id);
            assertThat(inspect(remote, "{{index .Config.Labels \"org.opencontainers.image.revision\"}}")).isEqualTo(Images.REVISION);
            assertThat(inspect(remote, "{{index .Config.Labels \"org.opencontainers.image.version\"}}")).isEqualTo(Images.VERSION);
            assertThat(inspect(remote, "{{index .Config.Labels \"org.opencontainers.image.source\"}}")).startsWith("https://");
            assertThat(inspect(remote, "{{.Config.User}}")).isEqualTo("10001:0");
            Docker.run(Map.of(), Duration.ofMinutes(1), "docker", "rmi", remote);
        }
        assertThat(inspect("nanolet/node-agent:" + Images.VERSION, "{{json .Config.Volumes}}")).contains("/var/lib/nanolet");
        assertThat(inspect("nanolet/platform-api:" + Images.VERSION, "{{json .Config.Healthcheck.Test}}")).contains("nanolet-healthcheck");
    }

    private static String inspect(String image, String format) {
        return Docker.run(Map.of(), Duration.ofSeconds(30), "docker", "image", "inspect", "-f", format, image).strip();
    }
}
