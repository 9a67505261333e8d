package dev.nanolet.agent.bench;

import dev.nanolet.agent.bench.ComputeBenchmark.Backend;
import dev.nanolet.agent.bench.ComputeBenchmark.Sample;
import dev.nanolet.agent.bench.ComputeBenchmark.Workload;
import dev.nanolet.agent.runtime.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * V8 for {@link ComputeBenchmark}: one {@code node benchmarks/node-wasi-compute.mjs --serve} child process (Node ≥ 20 on
 * the PATH, or {@code -Dnode=…}), told over its stdin which module to load and when to run it; each answer is one line.
 */
final class NodeWasi implements AutoCloseable {

    private static final Path SCRIPT = Path.of("..", "benchmarks", "node-wasi-compute.mjs").toAbsolutePath().normalize();

    private final Process process;
    private final Writer commands;
    private final BufferedReader answers;

    private NodeWasi(Process process) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static NodeWasi start() throws IOException {
        String node = System.getProperty("node", "node");
        Process version = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
        System.out.printf("V8 peer: node %s, %s%n", new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(),
                SCRIPT);
        return new NodeWasi(new ProcessBuilder(node, "--no-warnings", SCRIPT.toString(), "--serve").redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Compiles the workload's module once; the backend runs fresh instances of it. */
    Backend load(Workload workload) {
        String file = Fixtures.example(workload.program().example()).toString();
        call("load " + file + " " + String.join(" ", workload.args()));
        return new Backend() {
            @Override
            public String name() {
                return "V8 node:wasi";
            }

            @Override
            public Sample run() {
                return sample(call("run"));
            }
        };
    }

    /** The loaded module's bytes made unique (see the script), compiled, instantiated and run. */
    Sample first() {
        return sample(call("first"));
    }

    private static Sample sample(String answer) {
        String[] words = answer.split(" ", 4);
        String stdout = new String(Base64.getDecoder().decode(words.length > 3 ? words[3] : ""), StandardCharsets.UTF_8);
        return new Sample(Double.parseDouble(words[0]), Double.parseDouble(words[1]),
                words[2].equals("0") ? stdout : "exit code " + words[2] + ": " + stdout);
    }

    private String call(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
            String answer = answers.readLine();
            if (answer == null || answer.startsWith("error")) {
                throw new IllegalStateException("node-wasi-compute.mjs answered " + answer + " to " + command);
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
