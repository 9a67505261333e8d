package dev.nanolet.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Nanolet service as a real operating-system process ({@code java -jar}), its output in
 * {@code e2e/target/e2e-logs/<name>.log}.
 */
final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final List<String> command;
    private final Map<String, String> env;
    private Process process;

    /** The tests' JVM options: a small heap, and the quick-starting first JIT tier only. */
    static final List<String> QUICK_START = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss1m");

    ServiceProcess(String name, String module, int port, Map<String, String> env) {
        this(name, module, port, env, QUICK_START);
    }

    /** With the JVM options {@code jvm} instead of the tests' small, quick-starting ones (benchmarks want the JIT's top tier). */
    ServiceProcess(String name, String module, int port, Map<String, String> env, List<String> jvm) {
        this.name = name;
        this.port = port;
        this.env = Map.copyOf(env);
        this.log = Paths.root().resolve("e2e/target/e2e-logs/" + name + ".log");
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(List.of("-jar", Paths.jar(module).toString()));
        this.command = List.copyOf(command);
    }

    /** Starts the process and waits until it answers HTTP on its port. */
    ServiceProcess start() {
        return launch().awaitUp();
    }

    /** Starts the process without waiting. */
    ServiceProcess launch() {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            process = pb.start();
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "kill " + name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        return this;
    }

    /**
     * Waits until the launched process answers HTTP on its port, for up to {@link #START}: a bound only on how long a
     * start that fails hangs, so as long as a start next to others may take on a CI machine that runs two builds at once.
     */
    ServiceProcess awaitUp() {
        return awaitUp(START);
    }

    /** How long a start may take: platform-api next to two node agents took more than 2 minutes at a load of 30 on two cores. */
    static final Duration START = Duration.ofMinutes(5);

    /** As {@link #awaitUp()}, for at most {@code max} (benchmarks on a loaded machine). */
    ServiceProcess awaitUp(Duration max) {
        try {
            await(name + " answering on port " + port).atMost(max).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(name + " exited with " + process.exitValue());
                        }
                        return answers();
                    });
        } catch (RuntimeException e) {
            kill();
            throw new IllegalStateException(name + " did not start: " + e.getMessage() + "\n" + logTail(80), e);
        }
        return this;
    }

    /** Listening and past start-up: actuator health answers (any status below 500; the UI may ask to sign in). */
    private boolean answers() {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(url() + "/actuator/health")).timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() < 500;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The value of an environment variable the process was started with, or null. */
    String env(String name) {
        return env.get(name);
    }

    String name() {
        return name;
    }

    String url() {
        return "http://localhost:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the process has used so far (user + system). */
    Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The last {@code lines} lines the process wrote. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL: the process gets no chance to say goodbye, as when a machine dies. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGTERM and wait: a graceful stop. */
    @Override
    public void close() {
        if (alive()) {
            process.destroy();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
