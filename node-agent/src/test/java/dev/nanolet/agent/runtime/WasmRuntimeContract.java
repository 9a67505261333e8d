package dev.nanolet.agent.runtime;

import static dev.nanolet.agent.runtime.Fixtures.bytes;
import static dev.nanolet.agent.runtime.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.agent.runtime.Fixtures.Captured;
import dev.nanolet.agent.runtime.RunResult.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What every {@link WasmRuntime} backend must do, proven with the committed example modules.
 * A backend's test extends this and supplies {@link #runtime()}.
 */
public abstract class WasmRuntimeContract {

    protected static final Duration GENEROUS = Duration.ofSeconds(30);

    /** A runtime to test; may be called more than once per test. */
    protected abstract WasmRuntime runtime();

    protected CompiledModule compile(String example) {
        byte[] bytes = bytes(example);
        return runtime().compile(digest(bytes), bytes);
    }

    @Test
    void helloAnswersACgiResponse() {
        Captured run = Fixtures.run(compile("hello.wasm"), List.of("hello"), Map.of(), new byte[0], 16, GENEROUS);

        assertThat(run.result()).isEqualTo(RunResult.exited(0));
        assertThat(run.out()).isEqualTo("Content-Type: text/plain\n\nHello from Wasm\n");
    }

    @Test
    void echoReturnsMetadataHeadersAndBodyByteExact() {
        Map<String, String> env = new HashMap<>(Map.of(
                "REQUEST_METHOD", "POST", "PATH_INFO", "/a/b", "SCRIPT_NAME", "/echo", "QUERY_STRING", "x=1&y=2"));
        IntStream.range(0, 40).forEach(i -> env.put("HTTP_X_HEADER_" + i, "value-" + i + "-" + "v".repeat(i * 7)));
        byte[] body = randomBytes(1 << 20, 7);
        env.put("CONTENT_LENGTH", Integer.toString(body.length));

        Captured run = Fixtures.run(compile("echo.wasm"), List.of("echo"), env, body, 64, GENEROUS);

        assertThat(run.result()).isEqualTo(RunResult.exited(0));
        String prefix = "Content-Type: text/plain\n\nREQUEST_METHOD=POST\nPATH_INFO=/a/b\nSCRIPT_NAME=/echo\nQUERY_STRING=x=1&y=2\n";
        String head = new String(run.stdout(), 0, Math.min(run.stdout().length, 64 * 1024), StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith(prefix);
        int bodyStart = head.indexOf("\n\n", prefix.length() - 1) + 2;
        List<String> headerLines = List.of(head.substring(prefix.length(), bodyStart - 2).split("\n"));
        assertThat(headerLines).containsExactlyInAnyOrderElementsOf(env.entrySet().stream()
                .filter(e -> e.getKey().startsWith("HTTP_")).map(e -> e.getKey() + "=" + e.getValue()).toList());
        assertThat(Arrays.copyOfRange(run.stdout(), bodyStart, run.stdout().length)).isEqualTo(body);
    }

    @Test
    void largeOutputArrivesWhole() {
        byte[] body = randomBytes(6 << 20, 11);
        Map<String, String> env = Map.of("CONTENT_LENGTH", Integer.toString(body.length));

        Captured run = Fixtures.run(compile("echo.wasm"), List.of("echo"), env, body, 64, GENEROUS);

        assertThat(run.result().succeeded()).isTrue();
        assertThat(Arrays.copyOfRange(run.stdout(), run.stdout().length - body.length, run.stdout().length)).isEqualTo(body);
    }

    @Test
    void jobSeesArgsAndEnvAndItsExitCodeComesBack() {
        Captured run = Fixtures.run(compile("job.wasm"), List.of("job", "7", "two words"), Map.of("GREETING", "hi there"),
                new byte[0], 16, GENEROUS);

        assertThat(run.result()).isEqualTo(new RunResult(Outcome.EXITED, 7, "exit code 7"));
        assertThat(run.out()).contains("arg[0]=job\n", "arg[1]=7\n", "arg[2]=two words\n", "env GREETING=hi there\n");
        assertThat(run.err()).isEqualTo("job finished\n");
    }

    @Test
    void jobWithoutArgumentsSucceeds() {
        Captured run = Fixtures.run(compile("job.wasm"), List.of("job"), Map.of(), new byte[0], 16, GENEROUS);

        assertThat(run.result().succeeded()).isTrue();
    }

    @Test
    void moduleDeclaringMoreMemoryThanItsCapDoesNotStart() {
        CompiledModule module = compile("fixtures/big-memory.wasm");

        assertThat(Fixtures.run(module, List.of("m"), Map.of(), new byte[0], 64, GENEROUS).result().outcome())
                .isEqualTo(Outcome.MEMORY_LIMIT);
        assertThat(Fixtures.run(module, List.of("m"), Map.of(), new byte[0], 256, GENEROUS).result())
                .isEqualTo(RunResult.exited(0));
    }

    @Test
    void growingPastTheCapIsAMemoryLimit() {
        Captured run = Fixtures.run(compile("fixtures/grow.wasm"), List.of("g"), Map.of(), new byte[0], 64, GENEROUS);

        assertThat(run.result().outcome()).isEqualTo(Outcome.MEMORY_LIMIT);
        assertThat(run.result().message()).contains("64 MiB");
    }

    @Test
    void trapIsReportedWithItsMessage() {
        Captured run = Fixtures.run(compile("fixtures/trap.wasm"), List.of("t"), Map.of(), new byte[0], 16, GENEROUS);

        assertThat(run.result().outcome()).isEqualTo(Outcome.TRAP);
        assertThat(run.result().message()).containsIgnoringCase("unreachable");
    }

    @Test
    void endlessLoopTimesOutAndLeavesTheThreadUsable() {
        CompiledModule spin = compile("spin.wasm");
        long started = System.nanoTime();

        Captured run = Fixtures.run(spin, List.of("spin"), Map.of(), new byte[0], 16, Duration.ofMillis(300));

        assertThat(run.result().outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(Fixtures.run(compile("hello.wasm"), List.of("hello"), Map.of(), new byte[0], 16, GENEROUS).result())
                .isEqualTo(RunResult.exited(0));
    }

    @Test
    void oneCompiledModuleRunsConcurrently() throws Exception {
        CompiledModule echo = compile("echo.wasm");
        List<Callable<Boolean>> runs = IntStream.range(0, 8).<Callable<Boolean>>mapToObj(i -> () -> {
            byte[] body = randomBytes(200_000 + i, i);
            Captured run = Fixtures.run(echo, List.of("echo"), Map.of("CONTENT_LENGTH", Integer.toString(body.length)),
                    body, 32, GENEROUS);
            byte[] tail = Arrays.copyOfRange(run.stdout(), run.stdout().length - body.length, run.stdout().length);
            return run.result().succeeded() && Arrays.equals(tail, body);
        }).toList();

        try (var pool = Executors.newFixedThreadPool(4)) {
            for (var future : pool.invokeAll(runs)) {
                assertThat(future.get()).isTrue();
            }
        }
    }

    @Test
    void onlyGrantedDirectoriesAreVisible(@TempDir Path granted) throws Exception {
        Files.writeString(granted.resolve("note.txt"), "from the host\n");
        CompiledModule cat = compile("cat.wasm");
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var withDir = new Invocation(List.of("cat", "/data/note.txt"), Map.of(), InputStream.nullInputStream(), out, err,
                16, GENEROUS, List.of(new Invocation.Directory(granted, "/data")));

        assertThat(cat.run(withDir)).isEqualTo(RunResult.exited(0));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("from the host\n");

        Captured without = Fixtures.run(cat, List.of("cat", granted.resolve("note.txt").toString()), Map.of(),
                new byte[0], 16, GENEROUS);
        assertThat(without.result().exitCode()).isEqualTo(1);
        assertThat(without.out()).isEmpty();
    }

    @Test
    void sqliteKeepsItsDatabaseInAGrantedDirectoryAcrossRuns(@TempDir Path granted) throws Exception {
        CompiledModule sqlite = compile("sqlite/sqlite-demo.wasm");
        var data = List.of(new Invocation.Directory(granted, "/data"));

        Captured first = runWith(sqlite, List.of("sqlite-demo", "/data/notes.db", "first"), Map.of(), new byte[0], data);
        Captured second = runWith(sqlite, List.of("sqlite-demo", "/data/notes.db", "second"), Map.of(), new byte[0], data);

        assertThat(first.result()).as(first.err()).isEqualTo(RunResult.exited(0));
        assertThat(first.out()).startsWith("1|first\n").contains("rows=1 reopened=1 sqlite=3.");
        assertThat(second.result()).as(second.err()).isEqualTo(RunResult.exited(0));
        assertThat(second.out()).startsWith("1|first\n2|second\nrows=2 reopened=2 sqlite=3.");
        byte[] header = Arrays.copyOf(Files.readAllBytes(granted.resolve("notes.db")), 16);
        assertThat(new String(header, StandardCharsets.US_ASCII)).isEqualTo("SQLite format 3\0");
    }

    @Test
    void sqliteAnswersAsACgiHandlerOnAGrantedDirectory(@TempDir Path granted) {
        CompiledModule sqlite = compile("sqlite/sqlite-demo.wasm");
        Map<String, String> cgi = Map.of("REQUEST_METHOD", "POST", "CONTENT_LENGTH", "7", "SQLITE_DB", "/db/cgi.db");
        var data = List.of(new Invocation.Directory(granted, "/db"));

        runWith(sqlite, List.of("sqlite"), cgi, "earlier".getBytes(StandardCharsets.UTF_8), data);
        Captured run = runWith(sqlite, List.of("sqlite"), cgi, "via cgi".getBytes(StandardCharsets.UTF_8), data);

        assertThat(run.result()).as(run.err()).isEqualTo(RunResult.exited(0));
        assertThat(run.out()).startsWith("Content-Type: text/plain\n\n1|earlier\n2|via cgi\nrows=2 reopened=2");
    }

    @Test
    void aPosixProgramReadsStdinWalksItsDirectoryAndUsesClocksRandomAndEnv(@TempDir Path granted) throws Exception {
        Files.createDirectories(granted.resolve("a/empty"));
        Files.writeString(granted.resolve("a/b.txt"), "abc");
        Files.writeString(granted.resolve("c.txt"), "hello!");
        Files.createSymbolicLink(granted.resolve("z-out"), Path.of("/etc"));
        byte[] stdin = randomBytes(100_000, 3);

        Captured run = runWith(compile("wasi/walk.wasm"), List.of("walk", "/data"), Map.of("GREETING", "hi there"), stdin,
                List.of(new Invocation.Directory(granted, "/data")));

        assertThat(run.result()).as(run.err()).isEqualTo(RunResult.exited(0));
        assertThat(run.out()).isEqualTo("stdin 100000 " + fnv1a(stdin) + "\n"
                + "d a\nf a/b.txt 3\nd a/empty\nf c.txt 6\nf z-out 4\n"
                + "clocks ok\nrandom ok\nenv GREETING=hi there\n");
    }

    /** The compute programs of the benchmark (docs/performance.md, "Compute") at small sizes, checked against plain Java. */
    @ParameterizedTest
    @CsvSource({"FIB, 20", "FIB, 1", "SIEVE, 100000", "SIEVE, 2", "SQLITE, 300 40"})
    void computeProgramsPrintWhatJavaComputes(ComputeProgram program, String args) {
        List<String> argv = List.of(args.split(" "));

        Captured run = Fixtures.run(compile(program.example()), Stream.concat(Stream.of(program.name()), argv.stream()).toList(),
                Map.of(), new byte[0], 64, GENEROUS);

        assertThat(run.result()).as(run.err()).isEqualTo(RunResult.exited(0));
        assertThat(run.out()).isEqualTo(program.expectedOutput(argv));
    }

    private Captured runWith(CompiledModule module, List<String> args, Map<String, String> env, byte[] stdin,
            List<Invocation.Directory> directories) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        RunResult result = module.run(new Invocation(args, env, new ByteArrayInputStream(stdin), out, err, 64, GENEROUS,
                directories));
        return new Captured(result, out.toByteArray(), err.toByteArray());
    }

    private static String fnv1a(byte[] bytes) {
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash = (hash ^ (b & 0xff)) * 16777619;
        }
        return String.format("%08x", hash);
    }

    @Test
    void bytesThatAreNotWasmAreRejected() {
        byte[] junk = "not a wasm module".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> runtime().compile(digest(junk), junk)).isInstanceOf(InvalidModuleException.class);
    }

    @Test
    void aModuleThatFailsValidationIsRejected() {
        assertThatThrownBy(() -> compile("fixtures/invalid.wasm")).isInstanceOf(InvalidModuleException.class);
    }

    @Test
    void aModuleImportingMoreThanWasiIsRejectedAtCompileNotAtRun() {
        assertThatThrownBy(() -> compile("fixtures/foreign-import.wasm"))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("env.open_socket");
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
