package dev.nanolet.platform.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.SseClient;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestApiBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Resource versions carry the database's epoch (410 Gone otherwise), and a node holds a bounded number of watches. */
@PlatformApiTest
@TestPropertySource(properties = "nanolet.nodes.watch-heartbeat=300ms")
class WatchLimitsTest extends TestApiBase {
    private SseClient watch(TestApi api, String node, String lastEventId) {
        return SseClient.open("http://localhost:" + port + "/api/v1/nodes/" + node + "/assignments?watch=true",
                api.credential(node), lastEventId);
    }

    @Test
    void aVersionFromAnotherDatabaseOrGarbageIs410AndAFreshWatchRelists() {
        api.register("epoch-1", Map.of(), 4, 512);
        String id;
        try (SseClient first = watch(api, "epoch-1", null)) {
            id = first.next().id();
        }
        try (SseClient resumed = watch(api, "epoch-1", id)) {
            assertThat(resumed.status()).isEqualTo(200);
        }
        String version = id.substring(id.lastIndexOf('.') + 1);
        for (String unknown : List.of(version, "999999999", "x.1", "", id + "9999")) {
            try (SseClient gone = watch(api, "epoch-1", unknown)) {
                assertThat(gone.status()).as(unknown).isIn(unknown.isEmpty() ? 200 : 410);
            }
        }

        jdbc.sql("UPDATE watch_epoch SET epoch = 'restored-from-a-backup'").update();

        try (SseClient gone = watch(api, "epoch-1", id)) {
            assertThat(gone.status()).as("the same version number in another epoch").isEqualTo(410);
        }
        try (SseClient relisted = watch(api, "epoch-1", null)) {
            SseClient.Event snapshot = relisted.next();
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.id()).isNotEqualTo(id).endsWith("." + version);
        }
    }

    @Test
    void aNodeHoldsAtMostFourWatchesOnAnInstance() {
        api.register("watches-1", Map.of(), 4, 512);
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                SseClient w = watch(api, "watches-1", null);
                open.add(w);
                assertThat(w.status()).isEqualTo(200);
                assertThat(w.next().name()).isEqualTo("snapshot");
            }
            try (SseClient fifth = watch(api, "watches-1", null)) {
                assertThat(fifth.status()).isEqualTo(429);
            }
            open.removeFirst().close();
            await().until(() -> {
                try (SseClient again = watch(api, "watches-1", null)) {
                    return again.status() == 200;
                }
            });
        } finally {
            open.forEach(SseClient::close);
        }
    }
}
