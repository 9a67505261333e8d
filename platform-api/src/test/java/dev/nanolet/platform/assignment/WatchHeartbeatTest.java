package dev.nanolet.platform.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.SseClient;
import dev.nanolet.platform.TestApiBase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@PlatformApiTest
@TestPropertySource(properties = "nanolet.nodes.watch-heartbeat=300ms")
class WatchHeartbeatTest extends TestApiBase {
    @Test
    void anIdleStreamSendsHeartbeatComments() {
        api.register("beat-1", Map.of(), 10, 4096);
        try (SseClient watch = SseClient.open("http://localhost:" + port + "/api/v1/nodes/beat-1/assignments?watch=true",
                api.credential("beat-1"), null)) {
            assertThat(watch.next().name()).isEqualTo("snapshot");
            assertThat(watch.header("X-Accel-Buffering")).as("a proxy must not hold the heartbeats back").isEqualTo("no");
            await().until(() -> watch.comments() >= 2);
        }
    }
}
