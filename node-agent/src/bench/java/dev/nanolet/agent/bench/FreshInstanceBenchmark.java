package dev.nanolet.agent.bench;

import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.chicory.ChicoryRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One HTTP request as the node serves it: a fresh instance of an already compiled module, CGI
 * environment in, response captured from stdout. Not a test: numbers go to docs/performance.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FreshInstanceBenchmark {

    static final Map<String, String> CGI_ENV = Map.ofEntries(
            Map.entry("GATEWAY_INTERFACE", "CGI/1.1"), Map.entry("REQUEST_METHOD", "GET"),
            Map.entry("SCRIPT_NAME", "/hello"), Map.entry("PATH_INFO", ""), Map.entry("QUERY_STRING", ""),
            Map.entry("SERVER_NAME", "localhost"), Map.entry("SERVER_PORT", "8181"),
            Map.entry("SERVER_PROTOCOL", "HTTP/1.1"), Map.entry("REMOTE_ADDR", "127.0.0.1"),
            Map.entry("HTTP_HOST", "localhost:8181"), Map.entry("HTTP_USER_AGENT", "bench"));

    @Param("../examples/hello.wasm")
    String module;

    private ScheduledExecutorService timer;
    private CompiledModule hello;

    @Setup
    public void compile() throws Exception {
        timer = Executors.newSingleThreadScheduledExecutor();
        Path cache = Files.createTempDirectory("nanolet-bench");
        hello = new ChicoryRuntime(cache, timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS)
                .compile("sha256:bench", Files.readAllBytes(Path.of(module)));
    }

    @TearDown
    public void stop() {
        timer.shutdownNow();
    }

    @Benchmark
    public int helloRequest() {
        var out = new ByteArrayOutputStream(256);
        RunResult result = hello.run(new Invocation(List.of("hello"), CGI_ENV, new ByteArrayInputStream(new byte[0]),
                out, java.io.OutputStream.nullOutputStream(), 64, Duration.ofSeconds(10), List.of()));
        if (!result.succeeded() || out.size() != 42) {
            throw new IllegalStateException(result + " " + out);
        }
        return out.size();
    }
}
