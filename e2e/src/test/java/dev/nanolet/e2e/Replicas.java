package dev.nanolet.e2e;

import static dev.nanolet.e2e.ApiClient.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.wire.Replica;
import dev.nanolet.wire.ReplicaPhase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Waits the end-to-end tests share (the routes they await 200 from serve examples/hello.wasm). */
final class Replicas {
    private Replicas() {}

    static List<Replica> awaitRunning(ApiClient api, String ns, String name, int n, Duration atMost) {
        return await(ns + "/" + name + ": " + n + " replicas Running").atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> api.replicas(ns, name), rs -> rs.size() == n && rs.stream().allMatch(r -> r.phase() == ReplicaPhase.Running));
    }

    static void awaitAnswer(ServiceProcess node, String path, int status) {
        await(node.name() + path + " answers " + status).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    HttpResponse<String> r = get(node.url() + path);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
                    if (status == 200) {
                        assertThat(r.body()).contains("Hello");
                    }
                });
    }
}
