package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The CLI as a process whose stdout fails: a real pipe whose reader closes, as {@code head -1} does once it has its line,
 * ends it as SIGPIPE ends git or kubectl, nothing on stderr and exit 141, where {@code logs} said so on stderr and exit 1 and
 * every other command printed on into the broken pipe and exited 0; a full disk ({@code /dev/full}) is an error, exit 1
 * with its reason, where a list cut short exited 0.
 */
class ClosedStdoutTest {
    private static final int SECONDS = 60;
    private static final int SIGPIPE = 128 + 13; // the status a shell gives a process SIGPIPE ended

    /** {@code nanolet ARGS} as a JVM of its own on this test's class path, its stdout {@code stdout}, its stderr a pipe. */
    private static Process cli(ProcessBuilder.Redirect stdout, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(stdout).start();
    }

    /** Its first line, then its stdout's reader closed: {@code | head -1}. */
    private static String headOne(Process cli) throws IOException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8))) {
            return lines.readLine();
        }
    }

    private static int exit(Process cli) throws InterruptedException {
        if (!cli.waitFor(SECONDS, TimeUnit.SECONDS)) {
            cli.destroyForcibly();
            throw new AssertionError("the CLI still ran " + SECONDS + " s after its stdout's reader ended");
        }
        return cli.exitValue();
    }

    private static String stderr(Process cli) throws IOException {
        return new String(cli.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** A list far longer than a pipe holds (64 KB on Linux), so the CLI is still writing it when its reader ends. */
    @Test
    void aListWhoseReaderEndedIsExit141Quietly() throws Exception {
        String items = IntStream.range(0, 20_000).mapToObj(i -> "{\"namespace\":\"ci\",\"name\":\"web-" + i + "\",\"revision\":1}")
                .collect(Collectors.joining(",", "[", "]"));
        try (Loopback server = new Loopback(exchange -> new Loopback.Answer(200, items))) {
            Process cli = cli(ProcessBuilder.Redirect.PIPE, server.args("get", "deployments"));

            assertThat(headOne(cli)).startsWith("NAMESPACE");
            assertThat(exit(cli)).as("exit status").isEqualTo(SIGPIPE);
            assertThat(stderr(cli)).isEmpty();
        }
    }

    /** A follow stops at the first line after its reader ended, whose replicas would otherwise keep it going for ever. */
    @Test
    void aFollowWhoseReaderEndedStopsQuietly() throws Exception {
        CountDownLatch readerEnded = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        HttpServer server = Loopback.serving(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            send(body, "data: {\"replica\":\"r1\",\"line\":\"up\"}\n\n");
            readerEnded.await(SECONDS, TimeUnit.SECONDS);
            send(body, "data: {\"replica\":\"r1\",\"line\":\"on\"}\n\n");
            do { // platform-api's comments, as a follow of quiet replicas sends them, until the CLI ends the stream
                send(body, ":\n\n");
            } while (!done.await(100, TimeUnit.MILLISECONDS));
        });
        try {
            Process cli = cli(ProcessBuilder.Redirect.PIPE, "logs", "web", "-f", "--server",
                    "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "t", "-n", "ci");

            assertThat(headOne(cli)).isEqualTo("r1 up");
            readerEnded.countDown();
            assertThat(exit(cli)).as("exit status").isEqualTo(SIGPIPE);
            assertThat(stderr(cli)).isEmpty();
        } finally {
            done.countDown();
            server.stop(0);
        }
    }

    /**
     * picocli's own text too ({@code --help}, {@code --version}), whose reader here has gone before the CLI starts, as
     * {@code | true} does: picocli said the exception it met printing and exited 1.
     */
    @Test
    void aHelpWhoseReaderEndedIsExit141Quietly() throws Exception {
        Process cli = cli(ProcessBuilder.Redirect.PIPE, "apply", "--help");
        cli.getInputStream().close();

        assertThat(exit(cli)).as("exit status").isEqualTo(SIGPIPE);
        assertThat(stderr(cli)).isEmpty();
    }

    /** A full disk under {@code > file} is no reader gone: an error, said. */
    @Test
    void aFullDiskIsExitOneWithItsReason() throws Exception {
        File full = new File("/dev/full");
        assumeThat(full).exists();
        try (Loopback server = new Loopback(exchange -> new Loopback.Answer(200, "[{\"namespace\":\"ci\",\"name\":\"web\"}]"))) {
            Process cli = cli(ProcessBuilder.Redirect.to(full), server.args("get", "deployments"));

            assertThat(exit(cli)).as("exit status").isEqualTo(1);
            assertThat(stderr(cli)).startsWith("nanolet: could not write to stdout: ").hasLineCount(1);
        }
    }

    private static void send(OutputStream body, String text) throws IOException {
        body.write(text.getBytes(StandardCharsets.UTF_8));
        body.flush();
    }
}
