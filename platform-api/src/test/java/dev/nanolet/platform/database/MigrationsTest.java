package dev.nanolet.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.platform.PlatformApiApplication;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.testsupport.TestPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Migrations run on a connection of their own: a statement of an upgrade may run longer than the
 * pool's read timeout ({@code NANOLET_DB_SOCKET_TIMEOUT_SECONDS}), which must not fail the start,
 * while requests keep that timeout.
 */
class MigrationsTest {

    @Test
    void aMigrationStatementLongerThanTheReadTimeoutCompletesWhileRequestsKeepTheTimeout() {
        TestPostgres.Database db = TestPostgres.newDatabase();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(PlatformApiApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password(),
                "--spring.datasource.hikari.data-source-properties.socketTimeout=1",
                "--spring.flyway.locations=classpath:db/migration,classpath:db/slow-migration",
                "--nanolet.auth.admin-token=" + PlatformApiTest.ADMIN_TOKEN,
                "--nanolet.auth.node-token=" + PlatformApiTest.NODE_TOKEN,
                "--nanolet.control.enabled=false")) {
            JdbcClient jdbc = JdbcClient.create(app.getBean(DataSource.class));

            assertThat(jdbc.sql("select success from flyway_schema_history where version = '9000'").query(Boolean.class).single())
                    .isTrue();
            assertThatThrownBy(() -> jdbc.sql("select pg_sleep(2.5)").query().singleValue())
                    .as("the pool's connections keep their read timeout").hasStackTraceContaining("timed out");
        }
    }
}
