package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code nanolet login} against a loopback server whose {@code GET /api/v1/tokens/self} answers the grants of the token
 * sent: {@code shop} a deployer in namespace shop, {@code two} in shop and ci, {@code admin} cluster-wide. The login is
 * saved in {@code $NANOLET_CONFIG}, which the build points into target/. For {@code old}, {@code broken} and {@code garbled} it
 * answers 404 (a platform-api before /tokens/self), 500 and a body that is not JSON.
 */
class LoginCommandTest {
    private static final Map<String, String> GRANTS = Map.of(
            "shop", "[{\"role\":\"deployer\",\"namespace\":\"shop\"},{\"role\":\"viewer\",\"namespace\":\"shop\"}]",
            "two", "[{\"role\":\"deployer\",\"namespace\":\"shop\"},{\"role\":\"viewer\",\"namespace\":\"ci\"}]",
            "admin", "[{\"role\":\"admin\",\"namespace\":null}]",
            "empty", "[{\"role\":\"deployer\",\"namespace\":\"\"}]",
            "dots", "[{\"role\":\"deployer\",\"namespace\":\"..\"}]");
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        Files.deleteIfExists(Config.file());
        server = PathSegmentsTest.listen();
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.stop(0);
        Files.deleteIfExists(Config.file());
    }

    private void answer(HttpExchange exchange) throws IOException {
        String token = exchange.getRequestHeaders().getFirst("Authorization").substring("Bearer ".length());
        boolean self = exchange.getRequestURI().getPath().equals("/api/v1/tokens/self");
        int status = self && token.equals("old") ? 404 : self && token.equals("broken") ? 500 : 200;
        String body = !self ? "[]" : status != 200 ? "{\"status\":" + status + ",\"detail\":\"no\"}" : token.equals("garbled") ? "<html>"
                : "{\"id\":\"t1\",\"name\":\"" + token + "\",\"grants\":" + GRANTS.get(token) + ",\"expiresAt\":null}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void aTokenGrantedInOneNamespaceIsSavedWithThatNamespace() {
        assertThat(login("shop")).isZero();

        assertThat(saved()).isEqualTo("shop");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("(namespace shop)");
    }

    @Test
    void aTokenGrantedInSeveralNamespacesKeepsDefaultAndSaysWhichItMayUse() {
        assertThat(login("two")).isZero();

        assertThat(saved()).isEqualTo("default");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the token may use namespaces ci, shop", "nanolet login -n NAMESPACE");
    }

    @Test
    void aClusterWideTokenKeepsDefaultAndSaysSo() {
        assertThat(login("admin")).isZero();

        assertThat(saved()).isEqualTo("default");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the token may use every namespace", "nanolet login -n NAMESPACE");
    }

    @Test
    void anExplicitNamespaceWins() {
        assertThat(login("shop", "-n", "ci")).isZero();

        assertThat(saved()).isEqualTo("ci");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("the token may use");

        assertThat(login("two", "-n", "ci")).isZero();

        assertThat(saved()).isEqualTo("ci");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("the token may use");
    }

    /** The token passed GET /modules, so the login is good: a server that cannot say the token's grants leaves the namespace as before. */
    @Test
    void aServerThatCannotSayTheTokensGrantsStillLogsInWithTheNamespaceAsBefore() {
        for (String token : new String[] {"old", "broken", "garbled"}) {
            assertThat(login(token)).as(token + ": " + err).isZero();

            assertThat(saved()).as(token).isEqualTo("default");
            assertThat(err.toString(StandardCharsets.UTF_8)).as(token).contains("(namespace default)").doesNotContain("the token may use");
            err.reset();
        }
    }

    /** A namespace -n refuses, named by /tokens/self: login saved it, and every later command refused the login (exit 2). */
    @Test
    void aNamespaceTheServerNamesThatIsNoNameIsNotSaved() {
        for (String token : new String[] {"empty", "dots"}) {
            assertThat(login(token)).as(token + ": " + err).isZero();

            assertThat(saved()).as(token).isEqualTo("default");
            assertThat(err.toString(StandardCharsets.UTF_8)).as(token).contains("which is not a name; saving namespace default",
                    "(namespace default)");
            err.reset();
        }
    }

    private String saved() {
        return Config.load().namespace();
    }

    private int login(String token, String... more) {
        String[] args = java.util.stream.Stream.concat(
                java.util.stream.Stream.of("login", "--server", "http://127.0.0.1:" + server.getAddress().getPort(), "--token", token),
                java.util.Arrays.stream(more)).toArray(String[]::new);
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args);
        } finally {
            System.setErr(stderr);
        }
    }
}
