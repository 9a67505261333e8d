package dev.nanolet.agent.runtime.chicory;

import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.SandboxContract;
import dev.nanolet.agent.runtime.WasmRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class ChicorySandboxTest extends SandboxContract {

    @TempDir
    Path cacheDir;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Override
    protected WasmRuntime runtime(RuntimeLimits limits) {
        return new ChicoryRuntime(cacheDir, timer, Clock.systemUTC(), limits);
    }
}
