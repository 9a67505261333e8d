package dev.nanolet.platform.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether a failure means PostgreSQL cannot be reached right now (stopped, restarting, or the pool
 * gave up waiting for a connection), as opposed to a bug or a refused statement. The API answers
 * those with 503 and {@code Retry-After}: the request may well succeed a moment later.
 */
public final class DatabaseOutage {

    /** Seconds a client should wait before trying again. */
    public static final String RETRY_AFTER_SECONDS = "2";

    private DatabaseOutage() {}

    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
                    || t instanceof SQLException sql && (lostConnection(sql.getSQLState()) || closedByPool(sql))) {
                return true;
            }
        }
        return false;
    }

    /**
     * HikariCP (7.0.2) answers any call on a connection it already closed as broken with a plain
     * {@code SQLException("Connection is closed")} without a SQLSTATE: the rollback that follows a lost
     * connection fails that way, and Spring then throws the rollback's failure instead of the first one.
     */
    private static boolean closedByPool(SQLException e) {
        return e.getSQLState() == null && "Connection is closed".equals(e.getMessage());
    }

    /** SQLSTATE class 08 (connection exception) and 57P01–57P03 (shut down, crashed, not yet accepting connections). */
    private static boolean lostConnection(String state) {
        return state != null && (state.startsWith("08") || state.matches("57P0[123]"));
    }
}
