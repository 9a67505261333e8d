package dev.nanolet.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * nanolet/postgres:17 (scripts/base-images.sh) stands in for the official postgres image where
 * Testcontainers expects one: its start-up wait (the ready message twice), its user, password,
 * database and server options all work.
 */
class PostgresImageIT {

    @Test
    void testcontainersRunsItAsACompatibleSubstituteForPostgres() throws Exception {
        var image = DockerImageName.parse(System.getenv().getOrDefault("NANOLET_POSTGRES_IMAGE", "nanolet/postgres:17"))
                .asCompatibleSubstituteFor("postgres");
        try (PostgreSQLContainer db = new PostgreSQLContainer(image)
                .withDatabaseName("bindings").withUsername("app").withPassword("s3cret")
                // built locally by scripts/base-images.sh: never pulled (no public registry here), so a slow daemon
                // cannot send Testcontainers into its two-minute pull retries
                .withImagePullPolicy(name -> false)) {
            db.start();

            try (Connection c = DriverManager.getConnection(db.getJdbcUrl(), "app", "s3cret");
                    ResultSet rs = c.createStatement().executeQuery(
                            "select current_user, current_database(), current_setting('fsync'), split_part(version(), ' ', 2)")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("app");
                assertThat(rs.getString(2)).isEqualTo("bindings");
                assertThat(rs.getString(3)).isEqualTo("off");
                assertThat(rs.getString(4)).startsWith("17.");
            }
            assertThat(db.getLogs()).contains("PostgreSQL init process complete");
        }
    }
}
