package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.deployment.DeploymentConcurrencyTest.run;

import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * For tests that provoke one interleaving of concurrent writes: a transaction holding the module's row pauses every
 * write inside its first revision insert (the revision's foreign key waits for the row), with its earlier locks held.
 */
final class LockWaits {
    private LockWaits() {}

    /** Holds {@code module}'s row in {@code pause} (not auto-commit) until it commits. */
    static void holdModule(Connection pause, String module) throws SQLException {
        pause.setAutoCommit(false);
        run(pause, "SELECT 1 FROM modules WHERE digest = ? FOR UPDATE", module);
    }

    /** How many sessions of the test database wait for a lock (a row or an advisory lock). */
    static int waiting(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'", Integer.class);
    }
}
