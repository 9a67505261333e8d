package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.runtime.Bindings;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.agent.runtime.RuntimeLimits;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LinkageError out of a host call (a class the node cannot load, as when it ran out of file handles) ends
 * that run as a trap that says so: it escaped the run, so a job's run ended without a result and its replica
 * stayed Running with nothing in its status or the node's log.
 */
class LinkageErrorTest {

    @TempDir
    Path cache;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aLinkageErrorFromAHostCallEndsTheRunAsATrapAndTheNextRunGoesOn() {
        byte[] bytes = Fixtures.bytes("bindings/counter.wasm");
        CompiledModule module = new ChicoryRuntime(cache, timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS)
                .compile(Fixtures.digest(bytes), bytes);

        RunResult broken = module.run(invocation(new KvThat(true), new ByteArrayOutputStream()));
        assertThat(broken.outcome()).isEqualTo(RunResult.Outcome.TRAP);
        assertThat(broken.message()).contains("could not load a class").doesNotContain("dev/nanolet/Missing");

        var out = new ByteArrayOutputStream();
        assertThat(module.run(invocation(new KvThat(false), out))).isEqualTo(RunResult.exited(0));
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Status: 500").contains("the key is not there");
    }

    private static Invocation invocation(Bindings bindings, ByteArrayOutputStream out) {
        return new Invocation(List.of("counter"), Map.of(), InputStream.nullInputStream(), out, new ByteArrayOutputStream(), 16,
                Duration.ofSeconds(30), List.of(), bindings);
    }

    /** A kv binding that fails every call, or whose every call meets a class that cannot be loaded. */
    private record KvThat(boolean broken) implements Bindings {
        @Override
        public Set<String> types() {
            return Set.of("kv");
        }

        @Override
        public Reply call(Op op, String binding, byte[] first, byte[] second) {
            if (broken) {
                throw new NoClassDefFoundError("dev/nanolet/Missing");
            }
            return Reply.error(dev.nanolet.agent.runtime.BindingError.NOT_FOUND, "the key is not there");
        }
    }
}
