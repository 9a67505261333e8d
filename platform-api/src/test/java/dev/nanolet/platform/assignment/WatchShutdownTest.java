package dev.nanolet.platform.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.SecondInstance;
import dev.nanolet.platform.SseClient;
import dev.nanolet.platform.TestApi;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/** Stopping an instance ends its watch streams at once instead of letting graceful shutdown wait on them. */
@PlatformApiTest
class WatchShutdownTest {
    @Autowired Environment environment;
    @Autowired JsonMapper json;

    @Test
    void closingAnInstanceEndsItsWatchStreamsPromptly() throws InterruptedException {
        ConfigurableApplicationContext instance = SecondInstance.start(environment, "--spring.lifecycle.timeout-per-shutdown-phase=30s");
        int port = SecondInstance.port(instance);
        TestApi api = new TestApi(port, json);
        api.register("stop-1", Map.of(), 10, 4096);
        try (SseClient watch = SseClient.open("http://localhost:" + port + "/api/v1/nodes/stop-1/assignments?watch=true",
                api.credential("stop-1"), null)) {
            assertThat(watch.next().name()).isEqualTo("snapshot");
            long started = System.nanoTime();
            instance.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).as("graceful shutdown did not wait for the open stream (30 s)").isLessThan(Duration.ofSeconds(20));
            SseClient.Event end = watch.poll(Duration.ofSeconds(5));
            assertThat(end).isNotNull();
            assertThat(end.name()).isEqualTo("end");
        }
    }
}
