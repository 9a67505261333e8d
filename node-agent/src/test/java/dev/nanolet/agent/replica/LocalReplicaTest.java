package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.logs.LogBuffer;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link LocalReplica#invoke}, the one way a request or a job becomes a guest call, and its slots. */
class LocalReplicaTest {

    final AtomicReference<Invocation> seen = new AtomicReference<>();
    final FakeRuntime runtime = new FakeRuntime();
    LogBuffer logs;

    LocalReplica replica(DeploymentSpec spec, int slots) {
        runtime.behaviours.put("echo", inv -> {
            seen.set(inv);
            try {
                inv.stdout().write(inv.stdin().readAllBytes());
                inv.stderr().write("oops\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new RunResult(RunResult.Outcome.EXITED, 0, null);
        });
        var a = new Assignment(UUID.randomUUID(), "default", "web", 1, spec.module(), 4, spec, false);
        logs = new LogBuffer(a.replicaId(), 10, Clock.systemUTC());
        var r = new LocalReplica(a, logs, ReplicaPhase.Running, new Semaphore(slots));
        r.module(runtime.compile("sha256:x", "echo".getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    static DeploymentSpec http(List<String> args, Map<String, String> env) {
        return new DeploymentSpec("sha256:x", new DeploymentSpec.HttpSpec("/web"), null, 1, args, env,
                new DeploymentSpec.Limits(32, 1500, 2), Map.of());
    }

    @Test
    void aRequestSeesTheSpecsArgsEnvAndLimitsAsAJobDoes() throws IOException {
        LocalReplica r = replica(http(List.of("--verbose", "x"), Map.of("GREETING", "hi")), 1);
        var out = new ByteArrayOutputStream();
        r.invoke(Map.of("REQUEST_METHOD", "GET"), "body".getBytes(StandardCharsets.UTF_8), out);
        Invocation inv = seen.get();
        assertThat(inv.args()).containsExactly("web", "--verbose", "x");
        assertThat(inv.env()).containsEntry("GREETING", "hi").containsEntry("REQUEST_METHOD", "GET");
        assertThat(inv.memoryLimitMiB()).isEqualTo(32);
        assertThat(inv.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("body");
        assertThat(logs.tail(10)).extracting(l -> l.stream() + ":" + l.line()).containsExactly("stderr:oops");
    }

    /** {@code Upstream: http://attacker.example} from any client replaced the deployment's HTTP_UPSTREAM. */
    @Test
    void aRequestsHeaderVariableNeverReplacesOneOfTheDeployment() throws IOException {
        LocalReplica r = replica(http(List.of(), Map.of("HTTP_UPSTREAM", "http://internal")), 1);
        r.invoke(Map.of("HTTP_UPSTREAM", "http://attacker.example", "HTTP_ACCEPT", "*/*"), new byte[0], new ByteArrayOutputStream());
        assertThat(seen.get().env()).containsEntry("HTTP_UPSTREAM", "http://internal").containsEntry("HTTP_ACCEPT", "*/*");
    }

    /** No client chooses a meta-variable; a stored or pod's CONTENT_LENGTH made a module misread stdin. */
    @Test
    void theNodesMetaVariablesReplaceTheDeploymentsOfTheSameName() throws IOException {
        LocalReplica r = replica(http(List.of(), Map.of("REQUEST_METHOD", "spoofed", "CONTENT_LENGTH", "99", "SERVER_PORT", "1",
                "CONTENT_TYPE", "text/spoofed")), 1);
        r.invoke(Map.of("REQUEST_METHOD", "POST", "CONTENT_LENGTH", "4", "SERVER_PORT", "8080"), "body".getBytes(StandardCharsets.UTF_8),
                new ByteArrayOutputStream());
        assertThat(seen.get().env()).containsEntry("REQUEST_METHOD", "POST").containsEntry("CONTENT_LENGTH", "4")
                .containsEntry("SERVER_PORT", "8080").doesNotContainKey("CONTENT_TYPE");
    }

    @Test
    void withoutAnOutputTheGuestsStdoutGoesToTheReplicasLog() throws IOException {
        LocalReplica r = replica(http(List.of(), Map.of()), 1);
        r.invoke(Map.of(), "line\n".getBytes(StandardCharsets.UTF_8), null);
        assertThat(logs.tail(10)).extracting(l -> l.stream() + ":" + l.line()).containsExactlyInAnyOrder("stdout:line", "stderr:oops");
    }

    @Test
    void aSlotIsFreedOnceHoweverOftenItIsClosed() {
        LocalReplica r = replica(http(List.of(), Map.of()), 2);
        LocalReplica.Slot slot = r.trySlot().orElseThrow();
        assertThat(r.trySlot()).isPresent();
        assertThat(r.trySlot()).isEmpty();
        assertThat(r.freeSlots()).isZero();
        slot.close();
        slot.close();
        assertThat(r.freeSlots()).isEqualTo(1);
    }
}
