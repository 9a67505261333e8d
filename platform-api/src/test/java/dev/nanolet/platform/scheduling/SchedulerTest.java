package dev.nanolet.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.platform.TestDeployments.Row;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

@PlatformApiTest
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.control.interval=200ms", "nanolet.nodes.lease-duration=2m"})
class SchedulerTest {
    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    TestApi api;
    TestDeployments deployments;

    @BeforeEach
    void setUp() {
        api = new TestApi(port, json);
        deployments = new TestDeployments(jdbc, json);
    }

    @Test
    void spreadsAcrossMatchingNodesOnly() {
        api.register("sp-1", Map.of("pool", "sp"), 10, 4096);
        api.register("sp-2", Map.of("pool", "sp"), 10, 4096);
        api.register("sp-3", Map.of("pool", "other"), 10, 4096);
        long id = deployments.create("default", "spread", TestDeployments.withSelector(TestDeployments.http("/spread", 4), Map.of("pool", "sp"), 64));
        await().until(() -> deployments.replicas(id).stream().allMatch(r -> r.nodeName() != null) && deployments.replicas(id).size() == 4);
        assertThat(deployments.replicas(id).stream().collect(Collectors.groupingBy(Row::nodeName, Collectors.counting())))
                .containsOnly(Map.entry("sp-1", 2L), Map.entry("sp-2", 2L));
    }

    @Test
    void respectsCapacityAndLeavesTheRestUnschedulableWithOneWarning() {
        api.register("cap-1", Map.of("pool", "cap"), 3, 200);
        long id = deployments.create("default", "cap", TestDeployments.withSelector(TestDeployments.http("/cap", 3), Map.of("pool", "cap"), 100));
        await().until(() -> deployments.replicas(id).size() == 3
                && deployments.replicas(id).stream().filter(r -> "Unschedulable".equals(r.reason())).count() == 1);
        assertThat(deployments.replicas(id).stream().filter(r -> "cap-1".equals(r.nodeName()))).hasSize(3 - 1);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(this::unschedulableWarnings, n -> n == 1);

        api.register("cap-2", Map.of("pool", "cap"), 3, 200);
        await().until(() -> deployments.replicas(id).stream().allMatch(r -> r.nodeName() != null && r.reason() == null));
    }

    private int unschedulableWarnings() {
        return jdbc.sql("SELECT count(*) FROM events WHERE reason = 'Unschedulable' AND type = 'Warning'").query(Integer.class).single();
    }
}
