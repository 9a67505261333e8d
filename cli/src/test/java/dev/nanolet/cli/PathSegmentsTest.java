package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every name the command line takes goes out as one encoded path segment, on reads and deletes alike: a {@code #}
 * would start the URI's fragment and a {@code /} or {@code ?} would end the segment, so {@code delete module 'm#x'}
 * deleted the module {@code m}. Against a loopback server that records what it was asked.
 */
class PathSegmentsTest {
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = listen();
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
            boolean events = exchange.getRequestURI().getRawPath().endsWith("/logs");
            byte[] body = (events ? "" : exchange.getRequestURI().getRawPath().matches(".*/(events|replicas|deployments)") ? "[]" : "{\"name\":\"x\",\"digest\":\"x\"}") // lists, else one object as get reads it
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", events ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aNameIsOneSegmentWhateverItHolds() {
        run("delete", "module", "m#x");
        run("describe", "module", "m/x");
        run("describe", "node", "n?x");
        run("describe", "deployment", "d#x");
        run("get", "deployment", "d#x");
        run("get", "events", "d#x");
        run("get", "module", "m#x");
        run("logs", "d#x");
        run("tokens", "revoke", "t#x");
        run("get", "secret", "s#x", "-n", "n#s");
        run("delete", "secret", "s#x", "-n", "n#s");
        run("delete", "secret", "s?x", "--dry-run");

        assertThat(asked).containsExactly(
                "DELETE /api/v1/modules/m%23x",
                "GET /api/v1/modules/m%2Fx",
                "GET /api/v1/nodes/n%3Fx",
                "GET /api/v1/namespaces/default/deployments/d%23x",
                "GET /api/v1/namespaces/default/deployments/d%23x/replicas",
                "GET /api/v1/namespaces/default/deployments/d%23x/events?limit=20",
                "GET /api/v1/namespaces/default/deployments/d%23x",
                "GET /api/v1/namespaces/default/deployments/d%23x/events",
                "GET /api/v1/modules/m%23x",
                "GET /api/v1/namespaces/default/deployments/d%23x/logs?tail=100&follow=false",
                "DELETE /api/v1/tokens/t%23x",
                "GET /api/v1/namespaces/n%23s/secrets/s%23x",
                "DELETE /api/v1/namespaces/n%23s/secrets/s%23x",
                "DELETE /api/v1/namespaces/default/secrets/s%3Fx?dryRun=All");
    }

    /** Events without a name are the namespace's, as deployments are; {@code -A} lists every namespace's. */
    @Test
    void eventsAreTheNamespacesAsDeploymentsAreAndEveryNamespacesWithA() {
        run("get", "events", "-n", "n#s");
        run("get", "events");
        run("get", "deployments");
        run("get", "events", "-A");
        run("get", "events", "web", "-n", "shop");

        assertThat(asked).containsExactly(
                "GET /api/v1/namespaces/n%23s/events",
                "GET /api/v1/namespaces/default/events",
                "GET /api/v1/namespaces/default/deployments",
                "GET /api/v1/events",
                "GET /api/v1/namespaces/shop/deployments/web/events");
    }

    /** An empty name, {@code .} or {@code ..} is no segment a server keeps: the path would name another object or none. */
    @Test
    void anEmptyNameAndDotSegmentsAreRefusedBeforeAnythingIsSent() {
        assertThat(exitCode("delete", "secret", "..")).isEqualTo(CliException.USAGE);
        assertThat(exitCode("delete", "secret", "x", "-n", "..")).isEqualTo(CliException.USAGE);
        assertThat(exitCode("delete", "deployment", ".")).isEqualTo(CliException.USAGE);
        assertThat(exitCode("delete", "module", "")).isEqualTo(CliException.USAGE);
        assertThat(exitCode("get", "secret", "")).isEqualTo(CliException.USAGE);
        assertThat(exitCode("tokens", "revoke", "..")).isEqualTo(CliException.USAGE);

        assertThat(asked).isEmpty();
    }

    /**
     * ci.md's exit code 2 for a {@code -n} that is empty, {@code .} or {@code ..}, also where the namespace goes in a query
     * (audit, where an empty one asked for every namespace's entries), a body (apply, diff, tokens create) or the saved login.
     */
    @Test
    void aNamespaceThatIsNoNameIsRefusedByEveryCommandBeforeAnythingIsSent(@TempDir Path dir) throws IOException {
        Path manifest = Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web}
                spec: {module: "sha256:00", http: {path: /web}}
                """);
        for (String ns : new String[] {"", ".", ".."}) {
            for (String[] command : List.of(new String[] {"audit"}, new String[] {"apply", "-f", manifest.toString()},
                    new String[] {"diff", "-f", manifest.toString()}, new String[] {"tokens", "create", "ci", "--role", "viewer"},
                    new String[] {"login"}, new String[] {"get", "deployments"})) {
                String[] args = java.util.Arrays.copyOf(command, command.length + 2);
                args[command.length] = "-n";
                args[command.length + 1] = ns;
                assertThat(exitCode(args)).as("-n '%s' %s", ns, String.join(" ", command)).isEqualTo(CliException.USAGE);
            }
        }
        assertThat(asked).isEmpty();
    }

    private void run(String... args) {
        assertThat(exitCode(args)).as(String.join(" ", args)).isZero();
    }

    private int exitCode(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        System.arraycopy(new String[] {"--server", "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "t"}, 0, all,
                args.length, 4);
        return Main.run(all);
    }

    /** A loopback port below the ephemeral range (32768–60999), which tests leave to the system. */
    static HttpServer listen() throws IOException {
        for (int port = 23100 + (int) (ProcessHandle.current().pid() % 500); port < 32000; port += 97) {
            try {
                return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            } catch (BindException taken) {
                // the next one
            }
        }
        throw new IllegalStateException("no free loopback port in 23100-32000");
    }
}
