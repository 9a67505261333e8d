package dev.nanolet.agent.bench;

import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.ComputeProgram;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.WasmRuntime;
import dev.nanolet.agent.runtime.chicory.ChicoryRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * Compute (docs/performance.md, "Compute"): fib, a sieve and SQLite ({@link ComputeProgram}) on the
 * backends of the runtime seam — Chicory compiled, as the node runs modules, and Chicory's interpreter —
 * and on V8 (Node's {@code node:wasi}, benchmarks/node-wasi-compute.mjs, in a child process), the same
 * bytes, in one run. Every run is a fresh instance of a module compiled once, as on the node. Rounds
 * interleave the backends (warm-up rounds first), so a change in the machine's load hits all of them;
 * a backend leaves a workload's rounds once it has used its time budget and has one timed run (the
 * interpreter on SQLite: one run takes minutes; the table says how many runs each backend made). Then
 * first runs of a module never seen before: compile (or parse) + one run, for Chicory compiled with an
 * empty class cache, the same module again from the class cache a restart (or Chicory's build-time
 * compiler, which generates the same classes) starts from, the interpreter, and V8. Every output is
 * checked against {@link ComputeProgram#expectedOutput}. Not a test: numbers go to docs/performance.md.
 *
 * <p>{@code benchmarks/compute.sh [rounds=10] [warmup=5] [first=3] [budget=60] [fib=32] [sieve=10000000] [sqlite=20000:2000] [only=fib,sieve,sqlite] [interpreter=true]}
 */
public final class ComputeBenchmark {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final int MEMORY_MIB = 256;
    private static final String V8_FIRST = "V8 node:wasi";

    /** What to run, from the command line's options. */
    record Settings(int rounds, int warmup, int firstRuns, double budgetMs, boolean interpreter, List<Workload> workloads) {
        static Settings of(Map<String, String> options) {
            List<String> only = List.of(options.get("only").split(","));
            List<Workload> workloads = Stream.of(
                            new Workload(ComputeProgram.FIB, List.of(options.get("fib"))),
                            new Workload(ComputeProgram.SIEVE, List.of(options.get("sieve"))),
                            new Workload(ComputeProgram.SQLITE, List.of(options.get("sqlite").split(":"))))
                    .filter(w -> only.contains(w.program().name().toLowerCase()))
                    .toList();
            return new Settings(Integer.parseInt(options.get("rounds")), Integer.parseInt(options.get("warmup")),
                    Integer.parseInt(options.get("first")), Double.parseDouble(options.get("budget")) * 1000,
                    Boolean.parseBoolean(options.get("interpreter")), workloads);
        }
    }

    /** One program with its arguments. */
    record Workload(ComputeProgram program, List<String> args) {
        String expected() {
            return program.expectedOutput(args);
        }

        List<String> argv() {
            var argv = new ArrayList<>(List.of(program.example()));
            argv.addAll(args);
            return argv;
        }

        @Override
        public String toString() {
            return program.name().toLowerCase() + " " + String.join(" ", args);
        }
    }

    /** One run: the compile (or parse) before it, if any, and the run itself, in milliseconds. */
    record Sample(double compileMs, double runMs, String stdout) {
        double totalMs() {
            return compileMs + runMs;
        }
    }

    /** A backend running one workload's module, prepared once. */
    interface Backend {
        String name();

        /** A fresh instance of the prepared module, run once. */
        Sample run();
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> options = options(arguments);
        var settings = Settings.of(options);
        System.out.printf("compute benchmark %s%n", options);
        System.out.printf("java %s, %d cpus, load average %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                loadAverage());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
        boolean allAgree = true;
        try (var v8 = NodeWasi.start()) {
            for (Workload workload : settings.workloads()) {
                allAgree &= measure(workload, timer, v8, settings);
            }
        } finally {
            timer.shutdownNow();
            deleteTemporary();
        }
        System.out.printf("%nload average at the end: %s%n", loadAverage());
        if (!allAgree) {
            System.out.println("FAILED: a backend printed something else than expected (see above)");
            System.exit(1);
        }
    }

    private static boolean measure(Workload workload, ScheduledExecutorService timer, NodeWasi v8, Settings settings)
            throws IOException {
        byte[] bytes = Fixtures.bytes(workload.program().example());
        String expected = workload.expected();
        System.out.printf("%n== %s (%s, %,d bytes)   load average %s%n   expected: %s", workload, workload.program().example(),
                bytes.length, loadAverage(), expected);
        var checker = new Checker(expected);

        Backend v8Backend = v8.load(workload);
        var backends = new ArrayList<Backend>();
        backends.add(seam("chicory compiled (the node)", compiled(timer, temporaryDirectory()), bytes, workload));
        if (settings.interpreter()) {
            backends.add(seam("chicory interpreter", interpreter(timer), bytes, workload));
        }
        backends.add(v8Backend);
        Map<Backend, List<Double>> times = steadyState(backends, checker, settings);
        double v8Median = median(times.get(v8Backend));
        System.out.printf("   steady state: a fresh instance of the compiled module per run, %d warm-up rounds%n", settings.warmup());
        System.out.printf("   %-36s %5s %12s %12s %9s%n", "backend", "runs", "median ms", "min ms", "÷ V8");
        times.forEach((backend, ms) -> System.out.printf("   %-36s %5d %12.1f %12.1f %9.2f%n", backend.name(), ms.size(), median(ms),
                ms.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), median(ms) / v8Median));

        Map<String, List<Sample>> first = firstRuns(workload, bytes, timer, v8, checker, settings);
        double v8First = median(first.getOrDefault(V8_FIRST, List.of()).stream().map(Sample::totalMs).toList());
        System.out.printf("   first run of a module never seen: compile (or load) + one run, median of %d%n", settings.firstRuns());
        System.out.printf("   %-36s %12s %12s %12s %9s%n", "backend", "compile ms", "run ms", "total ms", "÷ V8");
        first.forEach((name, samples) -> {
            double total = median(samples.stream().map(Sample::totalMs).toList());
            System.out.printf("   %-36s %12.1f %12.1f %12.1f %9.2f%n", name, median(samples.stream().map(Sample::compileMs).toList()),
                    median(samples.stream().map(Sample::runMs).toList()), total, total / v8First);
        });
        System.out.println(checker.failures == 0 ? "   outputs: every run of every backend printed the expected line"
                : "   outputs: " + checker.failures + " runs printed something else");
        return checker.failures == 0;
    }

    /** Interleaved rounds; the order of the backends rotates from round to round. */
    private static Map<Backend, List<Double>> steadyState(List<Backend> backends, Checker checker, Settings settings) {
        Map<Backend, List<Double>> times = new LinkedHashMap<>();
        Map<Backend, Double> spent = new LinkedHashMap<>();
        backends.forEach(b -> {
            times.put(b, new ArrayList<>());
            spent.put(b, 0.0);
        });
        for (int round = 0; round < settings.warmup() + settings.rounds(); round++) {
            for (int i = 0; i < backends.size(); i++) {
                Backend backend = backends.get((round + i) % backends.size());
                boolean timed = round >= settings.warmup();
                if (spent.get(backend) > settings.budgetMs() && (!timed || !times.get(backend).isEmpty())) {
                    continue;
                }
                Sample sample = backend.run();
                checker.check(backend.name(), sample);
                spent.merge(backend, sample.runMs(), Double::sum);
                if (timed) {
                    times.get(backend).add(sample.runMs());
                }
            }
        }
        return times;
    }

    /**
     * Each sample a module never seen (the bytes plus a unique custom section, so no cache of any engine knows it):
     * compiled into an empty class cache, then the same bytes by a new runtime on that cache; the interpreter; V8.
     */
    private static Map<String, List<Sample>> firstRuns(Workload workload, byte[] bytes, ScheduledExecutorService timer, NodeWasi v8,
            Checker checker, Settings settings) throws IOException {
        Map<String, List<Sample>> first = new LinkedHashMap<>();
        for (int i = 0; i < settings.firstRuns(); i++) {
            byte[] unseen = unique(bytes, i);
            Path cache = temporaryDirectory();
            first.computeIfAbsent("chicory compiled, empty class cache", k -> new ArrayList<>())
                    .add(firstRun(compiled(timer, cache), unseen, workload, checker));
            first.computeIfAbsent("chicory compiled, classes from cache", k -> new ArrayList<>())
                    .add(firstRun(compiled(timer, cache), unseen, workload, checker));
            if (settings.interpreter() && i == 0) { // one sample: its first run is its parse + a run like the others
                first.computeIfAbsent("chicory interpreter", k -> new ArrayList<>()).add(firstRun(interpreter(timer), unseen, workload, checker));
            }
            Sample fresh = v8.first();
            checker.check("V8 first run", fresh);
            first.computeIfAbsent(V8_FIRST, k -> new ArrayList<>()).add(fresh);
        }
        return first;
    }

    private static Sample firstRun(WasmRuntime runtime, byte[] unseen, Workload workload, Checker checker) {
        long start = System.nanoTime();
        CompiledModule module = runtime.compile(Fixtures.digest(unseen), unseen);
        double compileMs = (System.nanoTime() - start) / 1e6;
        Sample sample = run(module, workload, compileMs);
        checker.check("first run", sample);
        return sample;
    }

    private static Backend seam(String name, WasmRuntime runtime, byte[] bytes, Workload workload) {
        CompiledModule module = runtime.compile(Fixtures.digest(bytes), bytes);
        module.warnings().forEach(warning -> System.out.printf("   %s: %s%n", name, warning));
        return new Backend() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Sample run() {
                return ComputeBenchmark.run(module, workload, 0);
            }
        };
    }

    private static Sample run(CompiledModule module, Workload workload, double compileMs) {
        var stdout = new ByteArrayOutputStream();
        var stderr = new ByteArrayOutputStream();
        var invocation = new Invocation(workload.argv(), Map.of(), new ByteArrayInputStream(new byte[0]), stdout, stderr, MEMORY_MIB,
                TIMEOUT, List.of());
        long start = System.nanoTime();
        RunResult result = module.run(invocation);
        double ms = (System.nanoTime() - start) / 1e6;
        String out = result.succeeded() ? stdout.toString(StandardCharsets.UTF_8) : result + " " + stderr.toString(StandardCharsets.UTF_8);
        return new Sample(compileMs, ms, out);
    }

    private static ChicoryRuntime compiled(ScheduledExecutorService timer, Path cache) {
        return new ChicoryRuntime(cache, timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS);
    }

    private static ChicoryRuntime interpreter(ScheduledExecutorService timer) {
        return ChicoryRuntime.interpreter(timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS);
    }

    /** The module with one more custom section, {@code nanolet-nonce-<i>-<time>}: the same code, bytes no engine has seen. */
    static byte[] unique(byte[] bytes, int i) {
        byte[] name = ("nanolet-nonce-" + i + "-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        var out = new ByteArrayOutputStream(bytes.length + name.length + 3);
        out.writeBytes(bytes);
        out.write(0);
        out.write(1 + name.length);
        out.write(name.length);
        out.writeBytes(name);
        return out.toByteArray();
    }

    /** Counts the runs whose output differs from the expected one, and says which. */
    static final class Checker {
        private final String expected;
        private int failures;

        Checker(String expected) {
            this.expected = expected;
        }

        void check(String backend, Sample sample) {
            if (!sample.stdout().equals(expected)) {
                failures++;
                System.out.printf("   MISMATCH %s printed: %s%n", backend, sample.stdout().strip());
            }
        }
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static final List<Path> TEMPORARY = new ArrayList<>();

    /** A new directory for a class cache; all of them are deleted at the end. */
    private static Path temporaryDirectory() throws IOException {
        Path directory = Files.createTempDirectory("nanolet-compute");
        TEMPORARY.add(directory);
        return directory;
    }

    private static void deleteTemporary() throws IOException {
        for (Path directory : TEMPORARY) {
            try (var paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> options(String[] arguments) {
        Map<String, String> options = new LinkedHashMap<>(Map.of());
        options.put("rounds", "10");
        options.put("warmup", "5");
        options.put("first", "3");
        options.put("budget", "60");
        options.put("fib", "32");
        options.put("sieve", "10000000");
        options.put("sqlite", "20000:2000");
        options.put("only", "fib,sieve,sqlite");
        options.put("interpreter", "true");
        for (String argument : arguments) {
            String[] pair = argument.split("=", 2);
            if (pair.length != 2 || !options.containsKey(pair[0])) {
                throw new IllegalArgumentException("unknown option " + argument + "; known (with defaults): " + options);
            }
            options.put(pair[0], pair[1]);
        }
        return options;
    }
}
