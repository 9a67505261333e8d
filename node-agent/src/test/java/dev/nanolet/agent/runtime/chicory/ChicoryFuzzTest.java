package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.agent.runtime.InvalidModuleException;
import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.testsupport.fuzz.FuzzCorpus;
import dev.nanolet.testsupport.fuzz.FuzzSettings;
import dev.nanolet.testsupport.fuzz.Leaks;
import dev.nanolet.testsupport.fuzz.WasmMutator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mutated and generated modules through the node's runtime: each is refused with
 * {@link InvalidModuleException} or compiles and runs to a {@link RunResult} within a small
 * memory cap and deadline; nothing else may escape, no thread may be left behind, and the heap
 * comes back near its baseline. Seeded ({@link FuzzSettings}): a failure names the seed, the case
 * and the module's bytes.
 */
class ChicoryFuzzTest {
    static final int BASE_CASES = 1_500;
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final Duration DEADLINE = Duration.ofMillis(200);

    @TempDir
    Path cacheDir;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void everyMutatedOrGeneratedModuleIsRefusedOrRunsWithinItsLimitsAndLeavesNothingBehind() {
        FuzzSettings fuzz = FuzzSettings.fromSystemProperties();
        System.out.println("ChicoryFuzzTest: " + fuzz.replay());
        ChicoryRuntime runtime = new ChicoryRuntime(cacheDir, timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS);
        byte[] hello = Fixtures.bytes("hello.wasm");
        Fixtures.run(runtime.compile(Fixtures.digest(hello), hello), List.of("hello"), Map.of(), new byte[0], 16, DEADLINE);
        int threads = Leaks.threads();
        long heap = Leaks.usedHeapAfterGc();

        WasmMutator mutator = new WasmMutator(FuzzCorpus.examples(EXAMPLES), fuzz.seed());
        List<String> failures = new ArrayList<>();
        int refused = 0;
        int ran = 0;
        for (int i = 0; i < fuzz.cases(BASE_CASES) && failures.size() < 5; i++) {
            byte[] module = mutator.next();
            try {
                CompiledModule compiled = runtime.compile(Fixtures.digest(module), module);
                RunResult result = Fixtures.run(compiled, List.of("fuzz"), Map.of("FUZZ", "1"), new byte[0], 16, DEADLINE).result();
                assertThat(result).isNotNull();
                ran++;
            } catch (InvalidModuleException e) {
                refused++;
            } catch (RuntimeException | Error e) {
                failures.add("case " + i + ": " + e + "\n  module: " + HexFormat.of().formatHex(module));
            }
        }
        System.out.printf("ChicoryFuzzTest: %d refused, %d compiled and ran%n", refused, ran);

        assertThat(failures).as("modules that escaped the runtime's contract (replay with %s)", fuzz.replay()).isEmpty();
        await("guest threads back to the baseline of " + threads).atMost(Duration.ofSeconds(30))
                .until(() -> Leaks.threads() <= threads + 2);
        assertThat(Leaks.usedHeapAfterGc()).as("heap after the run vs baseline %d MiB (replay with %s)", heap >> 20, fuzz.replay())
                .isLessThan(heap + (96L << 20));
    }

    /**
     * Found by this test: Chicory's parser meets some malformed code with a NullPointerException
     * (seed 3042589867603, case 225) or, in JVMs run with {@code -ea}, an AssertionError (seed
     * 2454301721099, case 102 of the upload fuzz test); both must be an {@link InvalidModuleException}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"parser-npe.wasm", "parser-assertion.wasm"})
    void whatTheParserThrowsOnMalformedCodeIsAnInvalidModule(String name) throws IOException {
        byte[] module = Files.readAllBytes(Path.of("src/test/resources/fuzz", name));
        ChicoryRuntime runtime = new ChicoryRuntime(cacheDir, timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS);
        assertThatThrownBy(() -> runtime.compile(Fixtures.digest(module), module)).isInstanceOf(InvalidModuleException.class);
    }
}
