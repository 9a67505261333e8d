package dev.nanolet.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A platform-api stand-in on loopback for a CLI test: each request answered with the status and JSON body {@code answer}
 * gives, and listed in {@link #asked} as {@code METHOD URI}.
 */
final class Loopback implements AutoCloseable {
    record Answer(int status, String body) {}

    final List<String> asked = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    Loopback(Function<HttpExchange, Answer> answer) throws IOException {
        server = PathSegmentsTest.listen();
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            Answer a = answer.apply(exchange);
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", a.status() < 300 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(a.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** What a {@link #serving} server does with an exchange. */
    interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    /** A started loopback server that runs {@code handler} on each exchange, then closes it; an interrupt ends it too. */
    static HttpServer serving(Handler handler) throws IOException {
        HttpServer server = PathSegmentsTest.listen();
        server.createContext("/", exchange -> {
            try {
                handler.handle(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code args} and then this server, token {@code t} and namespace {@code ci}. */
    String[] args(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 6);
        System.arraycopy(new String[] {"--server", url(), "--token", "t", "-n", "ci"}, 0, all, args.length, 6);
        return all;
    }

    /** The CLI run with {@code args}, its stdout and stderr written to {@code out} and {@code err}; its exit code. */
    static int run(OutputStream out, OutputStream err, String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
