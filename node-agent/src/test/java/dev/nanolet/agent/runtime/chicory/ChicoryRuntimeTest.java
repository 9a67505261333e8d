package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.agent.runtime.WasmRuntime;
import dev.nanolet.agent.runtime.WasmRuntimeContract;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChicoryRuntimeTest extends WasmRuntimeContract {

    @TempDir
    Path cacheDir;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Override
    protected WasmRuntime runtime() {
        return chicory();
    }

    private ChicoryRuntime chicory() {
        return new ChicoryRuntime(cacheDir, timer, Clock.systemUTC());
    }

    @Test
    void aNewRuntimeLoadsCompiledClassesFromDiskInsteadOfCompiling() {
        byte[] hello = Fixtures.bytes("hello.wasm");
        ChicoryRuntime first = chicory();
        first.compile(Fixtures.digest(hello), hello);
        assertThat(first.cacheHits()).isZero();

        ChicoryRuntime afterRestart = chicory();
        var module = afterRestart.compile(Fixtures.digest(hello), hello);

        assertThat(afterRestart.cacheHits()).isEqualTo(1);
        assertThat(Fixtures.run(module, List.of("hello"), Map.of(), new byte[0], 16, GENEROUS).out())
                .endsWith("Hello from Wasm\n");
        assertThat(module.warnings()).isEmpty();
    }
}
