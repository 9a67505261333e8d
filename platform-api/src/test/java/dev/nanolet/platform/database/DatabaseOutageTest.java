package dev.nanolet.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

class DatabaseOutageTest {

    @Test
    void connectionFailuresAnywhereInTheChainAreAnOutage() {
        var poolTimeout = new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 2000ms");
        assertThat(DatabaseOutage.is(new CannotCreateTransactionException("Could not open JPA EntityManager", poolTimeout))).isTrue();
        assertThat(DatabaseOutage.is(new RuntimeException(poolTimeout))).isTrue();
        // PostgreSQL shutting down under a running statement, or a socket that broke
        assertThat(DatabaseOutage.is(new JpaSystemException(new RuntimeException(new SQLException("terminating connection", "57P01"))))).isTrue();
        assertThat(DatabaseOutage.is(new SQLException("An I/O error occurred while sending to the backend.", "08006"))).isTrue();
        assertThat(DatabaseOutage.is(new SQLException("the database system is starting up", "57P03"))).isTrue();
        // the rollback after a lost connection, on the pool's closed-connection proxy (no SQLSTATE): seen in CI
        assertThat(DatabaseOutage.is(new JpaSystemException(new RuntimeException("Unable to rollback against JDBC Connection",
                new SQLException("Connection is closed"))))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(DatabaseOutage.is(new DataIntegrityViolationException("duplicate key", new SQLException("dup", "23505")))).isFalse();
        assertThat(DatabaseOutage.is(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(DatabaseOutage.is(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseOutage.is(new SQLException("no state"))).isFalse();
    }
}
