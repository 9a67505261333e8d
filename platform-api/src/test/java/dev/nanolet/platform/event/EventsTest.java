package dev.nanolet.platform.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.Event;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.core.type.TypeReference;

/** Events are aggregated (count), capped per object and pruned after their TTL, as Kubernetes keeps them. */
@PlatformApiTest
class EventsTest extends TestApiBase {
    @Autowired Events events;

    private int rows(String object) {
        return jdbc.sql("SELECT count(*) FROM events WHERE object = ?").param(object).query(Integer.class).single();
    }

    @Test
    void aRepeatRaisesTheCountOfOneEventWhichListsAsTheNewest() {
        events.warning("replica/agg", "default", "agg", "n1", "BackOff", "restarting");
        events.normal("replica/other", "default", "agg", "n1", "Started", "started");
        events.warning("replica/agg", "default", "agg", "n1", "BackOff", "restarting");
        events.warning("replica/agg", "default", "agg", "n1", "BackOff", "restarting");

        assertThat(rows("replica/agg")).isEqualTo(1);
        List<Event> listed = api.get("/api/v1/events?limit=2", new TypeReference<List<Event>>() {});
        assertThat(listed.getFirst().object()).isEqualTo("replica/agg");
        assertThat(listed.getFirst().count()).isEqualTo(3);
        assertThat(listed.get(1).count()).isEqualTo(1);
    }

    @Test
    void aTrapPerDistinctPathKeepsOnlyTheNewestEventsOfTheReplica() {
        api.register("flood-1", Map.of(), 4, 512);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        UUID replica = deployments.bound(deployments.create("default", "flood", TestDeployments.http("/flood", 1)), "flood-1", "Running");

        for (int i = 0; i < 80; i++) {
            assertThat(api.node("POST", "/api/v1/nodes/flood-1/replicas/" + replica + "/events",
                    Map.of("type", "Warning", "reason", "Trap", "message", "trap at /path/" + i)).status()).isEqualTo(202);
        }

        assertThat(rows("replica/" + replica)).isEqualTo(50);
        assertThat(jdbc.sql("SELECT count(*) FROM events WHERE object = ? AND message = 'trap at /path/79'")
                .param("replica/" + replica).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void eventsOlderThanTheTtlArePruned() {
        events.normal("node/ttl-1", null, null, "ttl-1", "Registered", "old");
        events.normal("node/ttl-1", null, null, "ttl-1", "Reregistered", "new");
        jdbc.sql("UPDATE events SET time = now() - interval '61 minutes' WHERE object = 'node/ttl-1' AND message = 'old'").update();

        assertThat(events.prune()).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.sql("SELECT message FROM events WHERE object = 'node/ttl-1'").query(String.class).list()).containsExactly("new");
    }
}
