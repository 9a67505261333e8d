package dev.nanolet.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Gives each test a fresh database on a real PostgreSQL server, found in this order:
 * <ol>
 *   <li>{@code NANOLET_TEST_JDBC_URL} (with {@code NANOLET_TEST_JDBC_USER} and
 *       {@code NANOLET_TEST_JDBC_PASSWORD}): a server someone started, as {@code .ci/run} does;
 *   <li>Testcontainers, when a Docker engine answers;
 *   <li>an embedded PostgreSQL from zonky's binaries ({@link EmbeddedPostgresServer}).
 * </ol>
 * Never H2. When none works the test fails with a message that says how to provide one.
 */
public final class TestPostgres {
    private static Server server;

    private TestPostgres() {}

    /** A JDBC URL and credentials. */
    public record Database(String url, String user, String password) {}

    private record Server(String adminUrl, String user, String password) {}

    /** Creates an empty database with a unique name on the test server. */
    public static Database newDatabase() {
        Server s = server();
        String name = "nanolet_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(s.adminUrl(), s.user(), s.password())) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + s.adminUrl() + ": " + e.getMessage(), e);
        }
        return new Database(withDatabase(s.adminUrl(), name), s.user(), s.password());
    }

    private static synchronized Server server() {
        if (server == null) {
            server = start();
        }
        return server;
    }

    private static Server start() {
        String url = System.getenv("NANOLET_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new Server(url, env("NANOLET_TEST_JDBC_USER", "postgres"), env("NANOLET_TEST_JDBC_PASSWORD", ""));
        }
        if (dockerAnswers()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        try {
            return new Server(EmbeddedPostgresServer.start(), "postgres", "");
        } catch (Exception | Error e) {
            throw new IllegalStateException("""
                    Tests need a real PostgreSQL and none could be had: NANOLET_TEST_JDBC_URL is unset, \
                    no Docker engine answers, and the embedded PostgreSQL did not start (%s). \
                    Start a server and export NANOLET_TEST_JDBC_URL=jdbc:postgresql://localhost:5432/postgres \
                    (with NANOLET_TEST_JDBC_USER / NANOLET_TEST_JDBC_PASSWORD), as .ci/run does.""".formatted(e.getMessage()), e);
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    static String withDatabase(String jdbcUrl, String database) {
        int slash = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = jdbcUrl.indexOf('?');
        String base = slash < 0 ? (query < 0 ? jdbcUrl : jdbcUrl.substring(0, query)) : jdbcUrl.substring(0, slash);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        return base + "/" + database + params;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
