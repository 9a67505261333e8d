package dev.nanolet.platform.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * A watch asks whether its credential still names the node after it read and before it sends, its snapshot too: the
 * request passed the filter on a lookup up to a second old (RecentNodeIdentities), so a credential revoked in that
 * second, its name registered again meanwhile, was sent the new node's snapshot, secret values included.
 */
@PlatformApiTest
class WatchCredentialTest {
    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired AssignmentQueries queries;
    @Autowired WatchSignals signals;
    @Autowired RouteSignals routes;

    @Test
    void aCredentialThatNoLongerHoldsOnceTheSnapshotIsReadIsSentNoSnapshot() {
        new TestApi(port, json).register("revoked-1", Map.of(), 10, 4096);
        var emitter = new WatchStreamFlushTest.RecordingEmitter();
        WatchSignal signal = signals.register("revoked-1", 1);
        Thread stream = Thread.ofVirtual().start(new WatchStream("revoked-1", "e", OptionalLong.empty(), signal, emitter, queries, null,
                signals, Duration.ofMillis(100), routes, () -> false));

        await().atMost(Duration.ofSeconds(30)).until(() -> !stream.isAlive());
        assertThat(emitter.writes).as("what the stream wrote").isEmpty();
    }
}
