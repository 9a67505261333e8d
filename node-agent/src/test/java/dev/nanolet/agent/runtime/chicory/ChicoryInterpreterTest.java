package dev.nanolet.agent.runtime.chicory;

import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.SandboxContract;
import dev.nanolet.agent.runtime.WasmRuntime;
import dev.nanolet.agent.runtime.WasmRuntimeContract;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Nested;

/** The second backend of the seam, {@link ChicoryRuntime#interpreter}: both contracts, every function interpreted. */
class ChicoryInterpreterTest extends WasmRuntimeContract {

    /** The deadlines' timer, one daemon thread for the whole class. */
    private static final ScheduledExecutorService DEADLINES =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("interpreter-test-deadlines").daemon().factory());

    @Override
    protected WasmRuntime runtime() {
        // 1 GiB for guests whatever the test JVM's heap: the contract runs a module declaring 128 MiB
        return ChicoryRuntime.interpreter(DEADLINES, Clock.systemUTC(), RuntimeLimits.DEFAULTS.withGuestMemory(1L << 30));
    }

    @Nested
    class Sandbox extends SandboxContract {
        @Override
        protected WasmRuntime runtime(RuntimeLimits limits) {
            return ChicoryRuntime.interpreter(DEADLINES, Clock.systemUTC(), limits);
        }
    }
}
