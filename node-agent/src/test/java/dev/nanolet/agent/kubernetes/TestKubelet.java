package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.config.DataPlaneProperties;
import dev.nanolet.agent.logs.LogStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.util.unit.DataSize;
import reactor.netty.http.server.HttpServer;

/** A kubelet API started for tests: node {@code n1} on a free loopback port, pod {@code default/p} being {@code pod}. */
final class TestKubelet {

    private TestKubelet() {}

    /** The node's settings with these clients let in. */
    static KubernetesProperties props(Path clientCa, Set<String> names, String token) throws IOException {
        return new KubernetesProperties("127.0.0.1", KubernetesModeTest.freePort(), null, null, clientCa, names, token,
                Duration.ofSeconds(40), Duration.ofSeconds(60), Set.of(), Duration.ofMinutes(1));
    }

    /** A log store that keeps {@code kept} lines of each pod. */
    static LogStore logs(int kept) {
        return new LogStore(new DataPlaneProperties(DataSize.ofKilobytes(1), DataSize.ofKilobytes(1), 1, 1, Duration.ZERO, kept),
                Clock.systemUTC());
    }

    /** Started with these limits on its listener, serving {@code pod}'s lines from {@code logs}. */
    static KubeletApi start(KubernetesProperties props, UnaryOperator<HttpServer> limits, UUID pod, LogStore logs) {
        KubeletApi api = new KubeletApi(props, "n1", (ns, name) -> ns.equals("default") && name.equals("p") ? Optional.of(pod) : Optional.empty(),
                logs, Clock.systemUTC(), limits);
        api.start();
        return api;
    }
}
