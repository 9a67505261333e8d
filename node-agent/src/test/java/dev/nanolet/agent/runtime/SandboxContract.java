package dev.nanolet.agent.runtime;

import static dev.nanolet.agent.runtime.Fixtures.bytes;
import static dev.nanolet.agent.runtime.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nanolet.agent.runtime.Fixtures.Captured;
import dev.nanolet.agent.runtime.RunResult.Outcome;
import dev.nanolet.limits.ModuleLimits;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What every {@link WasmRuntime} backend must refuse a hostile module, proven with the committed
 * fixtures in {@code examples/fixtures}: the threats are listed in docs/security.md ("Sandbox").
 */
public abstract class SandboxContract {

    protected static final Duration GENEROUS = Duration.ofSeconds(30);

    /** A runtime with these limits; may be called more than once per test. */
    protected abstract WasmRuntime runtime(RuntimeLimits limits);

    protected CompiledModule compile(String example, RuntimeLimits limits) {
        return compile(runtime(limits), example);
    }

    private static RuntimeLimits limits(long stdout, long stderr, int tableElements) {
        return new RuntimeLimits(stdout, stderr, tableElements, ModuleLimits.DEFAULTS, 1L << 30);
    }

    private static Captured run(CompiledModule module, int memoryMiB, Duration timeout) {
        return Fixtures.run(module, List.of("m"), Map.of(), new byte[0], memoryMiB, timeout);
    }

    @Test
    void oneHostCallWithAHugeIovecListStopsAtTheDeadline() {
        var unlimited = limits(Long.MAX_VALUE, Long.MAX_VALUE, 1000);
        CompiledModule flood = compile("fixtures/iovec-flood.wasm", unlimited);
        var discard = new Invocation(List.of("m"), Map.of(), InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream(), 32, Duration.ofMillis(500), List.of());

        RunResult result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> flood.run(discard));

        assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void stderrIsCutAtItsLimitWithAMarkerAndTheRunEndsAtOnce() {
        var limits = limits(1 << 20, 64 << 10, 1000);

        Captured run = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> run(compile("fixtures/iovec-flood.wasm", limits), 32, GENEROUS));

        assertThat(run.result()).isEqualTo(RunResult.exited(0));
        assertThat(run.stderr().length).isBetween(64 << 10, (64 << 10) + 100);
        assertThat(run.err()).endsWith("[stderr cut at 65536 bytes]\n");
    }

    @Test
    void stdoutStopsAtItsLimit() {
        var limits = limits(100_000, 1000, 1000);

        Captured run = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> run(compile("fixtures/flood.wasm", limits), 16, Duration.ofSeconds(2)));

        assertThat(run.stdout()).hasSize(100_000);
    }

    @Test
    void aWriteToAStdoutCutAtItsCapFailsAtOnceWithoutReadingGuestMemory() {
        Captured run = run(compile("fixtures/write-after-cut.wasm", limits(8, 1000, 1000)), 16, GENEROUS);

        assertThat(run.result()).isEqualTo(RunResult.exited(29)); // EIO; reading the 64 KiB first would trap
        assertThat(run.stdout()).hasSize(8);
    }

    @Test
    void aWriteToAStdoutWhoseTargetRefusedBytesFailsAtOnceWithoutReadingGuestMemory() {
        var full = new OutputStream() { // as the data plane's response buffer once it holds its maximum
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("response above its maximum");
            }
        };
        var invocation = new Invocation(List.of("m"), Map.of(), InputStream.nullInputStream(), full, OutputStream.nullOutputStream(),
                16, GENEROUS, List.of());

        RunResult result = compile("fixtures/write-after-cut.wasm", limits(1 << 20, 1000, 1000)).run(invocation);

        assertThat(result).isEqualTo(RunResult.exited(29));
    }

    @Test
    void stdinIsReadInBoundedChunksWhateverLengthAnIovecDeclares() {
        byte[] body = "a request body\n".repeat(1000).getBytes(java.nio.charset.StandardCharsets.UTF_8);

        Captured run = Fixtures.run(compile("fixtures/stdin-huge-iovec.wasm", limits(1 << 20, 1000, 1000)), List.of("m"), Map.of(),
                body, 16, GENEROUS);

        assertThat(run.result()).isEqualTo(RunResult.exited(0)); // a buffer of the iovec's 4 GiB first: NegativeArraySizeException
        assertThat(run.stdout()).isEqualTo(body);
    }

    @Test
    void everyInstanceStartsWithTheTablesTheModuleDeclares() {
        CompiledModule grow = compile("fixtures/table-grow.wasm", RuntimeLimits.DEFAULTS);

        for (int i = 0; i < 3; i++) {
            assertThat(run(grow, 16, GENEROUS).result()).isEqualTo(RunResult.exited(1));
        }
    }

    @Test
    void aTableCannotGrowPastItsCap() {
        Captured run = run(compile("fixtures/table-bomb.wasm", limits(1 << 20, 1 << 20, 10_000)), 16, GENEROUS);

        assertThat(run.result()).isEqualTo(RunResult.exited(0));
        assertThat(run.out()).endsWith("grow refused\n");
    }

    @Test
    void growingIntoWhatTheNodeKeepsForOthersIsNodeMemoryAndTheRunGivesAllBack() throws Exception {
        WasmRuntime runtime = runtime(RuntimeLimits.DEFAULTS.withGuestMemory(192L << 20));
        CompiledModule grow = compile(runtime, "fixtures/grow.wasm");
        CompiledModule hold = compile(runtime, "fixtures/hold-memory.wasm"); // 64 MiB from its start, then loops
        try (var others = Executors.newFixedThreadPool(1)) { // a platform thread: a spinning guest holds its thread
            var held = others.submit(() -> run(hold, "b", Duration.ofSeconds(5)));
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.guestMemoryInUse() == 64L << 20);

            for (int i = 0; i < 2; i++) { // the second run finds what the first took free again
                RunResult result = run(grow, "a", GENEROUS); // its own cap (256 MiB) is far; with b, a third of 192 MiB stays free
                assertThat(result.outcome()).isEqualTo(Outcome.NODE_MEMORY);
                assertThat(result.message()).startsWith("the module tried to grow its memory, and the runs of 2 deployments on the node"
                        + " would hold 128.1 MiB of its 192 MiB for linear memory, and 64 MiB stay free for one more");
                assertThat(runtime.guestMemoryInUse()).isEqualTo(64L << 20);
            }
            assertThat(held.get().outcome()).isEqualTo(Outcome.TIMEOUT);
        }
        assertThat(runtime.guestMemoryInUse()).isZero();
    }

    @Test
    void aRunThatAloneNeedsMoreThanOneDeploymentMayHoldIsAMemoryLimit() {
        WasmRuntime runtime = runtime(RuntimeLimits.DEFAULTS.withGuestMemory(64L << 20));

        RunResult big = run(compile(runtime, "fixtures/big-memory.wasm"), "a", GENEROUS); // declares 128 MiB, its cap 256 MiB
        RunResult grow = run(compile(runtime, "fixtures/grow.wasm"), "a", GENEROUS);

        assertThat(big.outcome()).isEqualTo(Outcome.MEMORY_LIMIT);
        assertThat(big.message()).isEqualTo("the module's memory could not be made: this run alone would hold more than the 32 MiB"
                + " of linear memory one deployment may hold on this node (half of its 64 MiB for guests)");
        assertThat(grow.outcome()).isEqualTo(Outcome.MEMORY_LIMIT);
        assertThat(grow.message()).startsWith("the module tried to grow its memory, and this run alone would hold more than the 32 MiB");
        assertThat(runtime.guestMemoryInUse()).isZero();
    }

    @Test
    void oneDeploymentsRunsLeaveRoomForAnother() throws Exception {
        WasmRuntime runtime = runtime(RuntimeLimits.DEFAULTS.withGuestMemory(256L << 20));
        CompiledModule hold = compile(runtime, "fixtures/hold-memory.wasm"); // 64 MiB from its start, then loops
        CompiledModule hello = compile(runtime, "hello.wasm");
        try (var runs = Executors.newFixedThreadPool(2)) { // platform threads: a spinning guest holds its thread
            var first = runs.submit(() -> run(hold, "a", Duration.ofSeconds(3)));
            var second = runs.submit(() -> run(hold, "a", Duration.ofSeconds(3)));
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.guestMemoryInUse() == 128L << 20);

            RunResult third = run(hold, "a", Duration.ofMillis(100));
            assertThat(third.outcome()).isEqualTo(Outcome.NODE_MEMORY);
            assertThat(third.message()).isEqualTo("the module's memory could not be made: this deployment's runs on the node would hold"
                    + " 192 MiB of linear memory, more than half of its 256 MiB for guests");
            assertThat(run(hello, "b", GENEROUS)).as("another deployment runs").isEqualTo(RunResult.exited(0));

            assertThat(first.get().outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(second.get().outcome()).isEqualTo(Outcome.TIMEOUT);
        }
        assertThat(runtime.guestMemoryInUse()).isZero();
        assertThat(run(hold, "a", Duration.ofMillis(100)).outcome()).as("a's part is free again").isEqualTo(Outcome.TIMEOUT);
    }

    /** {@link Invocation#started} is how a job knows it runs: called once, before the guest's first output; never for a run that does not start. */
    @Test
    void startedIsCalledOnceBeforeTheGuestRunsAndNeverForARunThatDoesNotStart() {
        WasmRuntime runtime = runtime(RuntimeLimits.DEFAULTS.withGuestMemory(64L << 20));
        var stdout = new java.io.ByteArrayOutputStream();
        List<Integer> outputWhenStarted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable started = () -> outputWhenStarted.add(stdout.size());

        RunResult hello = compile(runtime, "hello.wasm").run(invocation(stdout, "a", started));
        RunResult big = compile(runtime, "fixtures/big-memory.wasm").run(invocation(OutputStream.nullOutputStream(), "a", started));

        assertThat(hello).isEqualTo(RunResult.exited(0));
        assertThat(stdout.size()).isPositive();
        assertThat(big.outcome()).as("128 MiB of a 64 MiB budget").isEqualTo(Outcome.MEMORY_LIMIT);
        assertThat(outputWhenStarted).as("the guest's output when started was called").containsExactly(0);
    }

    private static Invocation invocation(OutputStream stdout, String tenant, Runnable started) {
        return new Invocation(List.of("m"), Map.of(), InputStream.nullInputStream(), stdout, OutputStream.nullOutputStream(), 256,
                GENEROUS, List.of(), Bindings.NONE, tenant, started);
    }

    private static CompiledModule compile(WasmRuntime runtime, String example) {
        byte[] bytes = bytes(example);
        return runtime.compile(digest(bytes), bytes);
    }

    private static RunResult run(CompiledModule module, String tenant, Duration timeout) {
        return module.run(new Invocation(List.of("m"), Map.of(), InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream(), 256, timeout, List.of(), Bindings.NONE, tenant));
    }

    @ParameterizedTest
    @CsvSource({
        "fixtures/data-bomb.wasm, data segment 0 declares 2147483648 bytes",
        "fixtures/nop-function.wasm, max-function-body-bytes",
        "fixtures/many-locals.wasm, max-locals",
        "fixtures/two-memories.wasm, multi-memory"
    })
    void aModuleDeclaringMoreThanItsLimitsIsRefusedBeforeTheEngineParsesIt(String example, String reason) {
        assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> compile(example, RuntimeLimits.DEFAULTS)))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining(reason);
    }
}
