package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.SandboxContract;
import dev.nanolet.agent.runtime.WasmRuntime;
import dev.nanolet.agent.runtime.WasmRuntimeContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import dev.nanolet.agent.runtime.RunResult.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
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

    /** The sandbox contract on this runtime, sharing its cache directory and timer. */
    @Nested
    class Sandbox extends SandboxContract {
        @Override
        protected WasmRuntime runtime(RuntimeLimits limits) {
            return new ChicoryRuntime(cacheDir, timer, Clock.systemUTC(), limits);
        }
    }

    private ChicoryRuntime chicory() {
        // 1 GiB for guests whatever the test JVM's heap: the contract runs a module declaring 128 MiB
        return new ChicoryRuntime(cacheDir, timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS.withGuestMemory(1L << 30));
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

    /** The node's deadline timer forgets a deadline as soon as its run ends in time, instead of holding it until it would have fired. */
    @Test
    void aRunThatEndsInTimeLeavesNoDeadlineInTheNodesTimer() {
        var nodeTimer = (ScheduledThreadPoolExecutor) new ChicoryRuntimeConfiguration().wasmDeadlineTimer();
        try {
            byte[] hello = Fixtures.bytes("hello.wasm");
            var module = new ChicoryRuntime(cacheDir, nodeTimer, Clock.systemUTC(), RuntimeLimits.DEFAULTS)
                    .compile(Fixtures.digest(hello), hello);
            for (int i = 0; i < 10; i++) {
                assertThat(Fixtures.run(module, List.of("hello"), Map.of(), new byte[0], 16, Duration.ofHours(1)).result().succeeded()).isTrue();
            }
            assertThat(nodeTimer.getQueue()).isEmpty();
        } finally {
            nodeTimer.shutdownNow();
        }
    }

    /**
     * A run that goes well throws nothing, not even inside the engine: Chicory's WASI builder used to
     * probe for Android with {@code Class.forName} on every run, a {@code ClassNotFoundException}
     * (and a class-path search) per request. Seen with JFR's exception events, on this thread only.
     */
    @Test
    void aRunThatGoesWellThrowsNothing() throws Exception {
        byte[] hello = Fixtures.bytes("hello.wasm");
        var module = chicory().compile(Fixtures.digest(hello), hello);
        Fixtures.run(module, List.of("hello"), Map.of("A", "1"), new byte[0], 16, GENEROUS);
        Path events = cacheDir.resolve("exceptions.jfr");
        try (var recording = new Recording()) {
            recording.enable("jdk.JavaExceptionThrow");
            recording.start();
            for (int i = 0; i < 5; i++) {
                assertThat(Fixtures.run(module, List.of("hello"), Map.of("A", "1"), new byte[0], 16, GENEROUS).result().succeeded()).isTrue();
            }
            recording.stop();
            recording.dump(events);
        }
        long me = Thread.currentThread().threadId();
        assertThat(RecordingFile.readAllEvents(events).stream()
                .filter(e -> e.getThread() != null && e.getThread().getJavaThreadId() == me)
                .map(e -> e.getClass("thrownClass").getName() + ": " + e.getString("message")))
                .isEmpty();
    }

    @Test
    void aFunctionTooLargeForTheCompilerRunsInTheInterpreterWithAWarningThatSurvivesARestart() {
        byte[] huge = Fixtures.bytes("fixtures/huge-function.wasm");
        var module = chicory().compile(Fixtures.digest(huge), huge);

        assertThat(module.warnings()).singleElement().asString().contains("interpreter");
        assertThat(Fixtures.run(module, List.of("huge"), Map.of(), new byte[0], 16, GENEROUS).result().succeeded()).isTrue();

        ChicoryRuntime afterRestart = chicory();
        assertThat(afterRestart.compile(Fixtures.digest(huge), huge).warnings()).isEqualTo(module.warnings());
        assertThat(afterRestart.cacheHits()).isEqualTo(1);
    }

    @Test
    void aTimeoutRacingTheEndOfARunNeverLeavesTheThreadInterrupted() {
        var hello = chicory().compile("sha256:hello", Fixtures.bytes("hello.wasm"));
        for (int i = 0; i < 300; i++) {
            var result = Fixtures.run(hello, List.of("hello"), Map.of(), new byte[0], 16, Duration.ofNanos(20_000 + i * 500L));

            assertThat(result.result().outcome()).isIn(Outcome.EXITED, Outcome.TIMEOUT);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    @Test
    void anUnreadableCacheEntryIsReplacedByAFreshCompilation() throws Exception {
        byte[] hello = Fixtures.bytes("hello.wasm");
        chicory().compile(Fixtures.digest(hello), hello);
        try (var entries = Files.newDirectoryStream(cacheDir.resolve("classes").resolve("chicory-1.7.5"), "*.jar")) {
            for (Path entry : entries) {
                Files.writeString(entry, "not a jar");
            }
        }

        var module = chicory().compile(Fixtures.digest(hello), hello);

        assertThat(Fixtures.run(module, List.of("hello"), Map.of(), new byte[0], 16, GENEROUS).out())
                .endsWith("Hello from Wasm\n");
        assertThat(chicory().compile(Fixtures.digest(hello), hello).warnings()).isEmpty();
    }

    @Test
    void anEntryThatFailsItsHmacIsDeletedAndNeverLoaded() throws Exception {
        byte[] hello = Fixtures.bytes("hello.wasm");
        byte[] job = Fixtures.bytes("job.wasm");
        chicory().compile(Fixtures.digest(hello), hello);
        chicory().compile(Fixtures.digest(job), job);
        Path classes = cacheDir.resolve("classes").resolve("chicory-1.7.5");
        List<Path> entries;
        try (var stream = Files.list(classes)) {
            entries = stream.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        assertThat(entries).hasSize(2);
        byte[] other = Files.readAllBytes(entries.get(1));
        Files.write(entries.get(0), other); // a validly signed entry of another module, planted under this key

        ChicoryRuntime afterRestart = chicory();
        var first = afterRestart.compile(Fixtures.digest(hello), hello);
        var second = afterRestart.compile(Fixtures.digest(job), job);

        assertThat(afterRestart.cacheRejections()).isEqualTo(1);
        assertThat(afterRestart.cacheHits()).isEqualTo(1);
        assertThat(Fixtures.run(first, List.of("hello"), Map.of(), new byte[0], 16, GENEROUS).out()).endsWith("Hello from Wasm\n");
        assertThat(Fixtures.run(second, List.of("job"), Map.of(), new byte[0], 16, GENEROUS).result().succeeded()).isTrue();
        assertThat(chicory().cacheRejections()).isZero();
    }

    @Test
    void theDataDirectoryAndTheKeyAreTheNodesAlone() throws Exception {
        Path data = cacheDir.resolve("node-data");
        new ChicoryRuntime(data, timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("class-cache.key"))))
                .isEqualTo("rw-------");
        assertThat(Files.size(data.resolve("class-cache.key"))).isEqualTo(32);
    }

    @Test
    void anEmptyOrDamagedKeyIsMadeAgainAndTheClassesItSignedAreDiscarded() throws Exception {
        byte[] hello = Fixtures.bytes("hello.wasm");
        Path key = cacheDir.resolve("class-cache.key");
        for (byte[] damaged : List.of(new byte[0], new byte[] {1, 2, 3, 4, 5})) {
            chicory().compile(Fixtures.digest(hello), hello);
            byte[] before = Files.readAllBytes(key);
            Files.write(key, damaged);

            ChicoryRuntime restarted = chicory();
            var module = restarted.compile(Fixtures.digest(hello), hello);

            assertThat(Files.size(key)).isEqualTo(32);
            assertThat(Files.readAllBytes(key)).isNotEqualTo(before);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            assertThat(restarted.cacheHits()).as("classes signed with the lost key are discarded, not loaded").isZero();
            assertThat(restarted.cacheRejections()).as("discarded before any lookup").isZero();
            assertThat(Fixtures.run(module, List.of("hello"), Map.of(), new byte[0], 16, GENEROUS).out()).endsWith("Hello from Wasm\n");
            assertThat(chicory().compile(Fixtures.digest(hello), hello)).isNotNull();
        }
    }
}
