package dev.nanolet.agent.runtime.chicory;

import static dev.nanolet.agent.runtime.Fixtures.bytes;
import static dev.nanolet.agent.runtime.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.agent.runtime.RunResult.Outcome;
import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.WasmRuntime;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node keeps half of each budget for the next deployment even while one is alone on it; the one run of
 * {@code node-agent run}, which no other tenant can join, had only half as well: its runtime's budgets are its own.
 */
class OneTenantTest {

    private static final RuntimeLimits LIMITS = RuntimeLimits.DEFAULTS.withGuestMemory(96L << 20);

    @TempDir
    Path dir;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static RunResult holdMemory(WasmRuntime runtime) {
        byte[] bytes = bytes("fixtures/hold-memory.wasm"); // 64 MiB from its start, then loops until its deadline
        return runtime.compile(digest(bytes), bytes).run(new Invocation(List.of("m"), Map.of(), InputStream.nullInputStream(),
                OutputStream.nullOutputStream(), OutputStream.nullOutputStream(), 128, Duration.ofMillis(300), List.of()));
    }

    @Test
    void aRuntimeForOneTenantLetsItsRunTakeTheWholeBudget() {
        RunResult alone = holdMemory(ChicoryRuntime.forOneTenant(dir.resolve("one"), timer, Clock.systemUTC(), LIMITS));

        assertThat(alone.outcome()).as(alone.message()).isEqualTo(Outcome.TIMEOUT);
    }

    @Test
    void oneTenantsOpenFilesAreTheWholeBudget() throws Exception {
        var alone = new OpenFiles(2, true).of("run");
        var shared = new OpenFiles(2).of("deployment");

        alone.acquire();
        alone.acquire();
        shared.acquire();

        assertThatThrownBy(shared::acquire).isInstanceOf(Errno.Failure.class);
    }

    @Test
    void aNodesRuntimeKeepsHalfForTheNextTenantEvenForALoneOne() {
        RunResult shared = holdMemory(new ChicoryRuntime(dir.resolve("node"), timer, Clock.systemUTC(), LIMITS));

        assertThat(shared.outcome()).isEqualTo(Outcome.MEMORY_LIMIT);
        assertThat(shared.message()).contains("more than the 48 MiB of linear memory one deployment may hold on this node");
    }
}
