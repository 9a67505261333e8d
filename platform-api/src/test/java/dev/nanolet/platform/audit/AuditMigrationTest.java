package dev.nanolet.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.migrations.Migrate;
import dev.nanolet.testsupport.TestPostgres;
import dev.nanolet.wire.AuditEntry;
import java.time.Clock;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The upgrades that record dry runs, a write's own status and the request's id keep the entries from before them, which
 * read as no dry runs, as the whole story of their status ({@code written} null) and of no known request.
 */
class AuditMigrationTest {

    @Test
    void entriesFromBeforeTheUpgradeReadAsNoDryRuns() {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations(Migrate.LOCATION).target("24").load()
                .migrate();
        JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(db.url(), db.user(), db.password()));
        jdbc.sql("INSERT INTO audit_log (at, actor_id, actor_name, method, path, namespace, object, client, status) "
                + "VALUES (now(), 'admin', 'admin', 'DELETE', '/api/v1/namespaces/ci/deployments/web', 'ci', "
                + "'namespaces/ci/deployments/web', '10.0.0.7', 204)").update();

        Migrate.flyway(db.url(), db.user(), db.password()).migrate();

        AuditLog audit = new AuditLog(jdbc, new AuditProperties(Duration.ofDays(90)), Clock.systemUTC());
        assertThat(audit.page(AuditLog.Filter.ALL, null, 10)).singleElement().satisfies(entry -> {
            assertThat(entry.method() + " " + entry.path() + " " + entry.status())
                    .isEqualTo("DELETE /api/v1/namespaces/ci/deployments/web 204");
            assertThat(entry.dryRun()).isFalse();
            assertThat(entry.written()).isNull();
            assertThat(entry.requestId()).isNull();
        });
        audit.record(new AuditEntry(0, null, "admin", "admin", "DELETE", "/api/v1/namespaces/ci/deployments/web", "ci",
                "namespaces/ci/deployments/web", "10.0.0.7", 204, true));
        assertThat(audit.page(AuditLog.Filter.ALL, null, 10)).extracting(AuditEntry::dryRun).containsExactly(true, false);
    }
}
