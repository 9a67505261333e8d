package dev.nanolet.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jar's command line ({@code java -jar db-migrations.jar}), as the compose and Helm migration jobs run it. */
class MigrateTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aDatabaseItCannotReachIsSaidWithoutAStackTraceAndExits1() throws IOException {
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/nanolet";

        int code = run("--url", url, "--user", "nanolet", "--password", "secret");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("db-migrations: could not migrate: Unable to obtain connection from database (" + url + ")")
                .contains("refused")
                .doesNotContain("\tat ", "secret");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aPasswordWrittenInTheUrlIsNotPrinted() throws IOException {
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/nanolet?user=nanolet&password=hunter2";

        assertThat(run("--url", url)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("db-migrations: could not migrate: ")
                .doesNotContain("hunter2");
    }

    @Test
    void noUrlIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--url (or NANOLET_DB_URL) is required");
    }

    private int run(String... args) {
        return Migrate.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** A loopback port nothing listens on: one the system just gave out and took back. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
