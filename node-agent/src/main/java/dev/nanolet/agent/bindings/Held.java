package dev.nanolet.agent.bindings;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.AutoSave;

/**
 * One binding's connection during a run, and whether its transaction holds work that a refused
 * statement must not undo. pgjdbc sets a savepoint before a statement ({@code autosave}) only then: the
 * first statement of a transaction runs without one, and if the server refuses it the transaction is
 * rolled back whole — which undoes exactly that statement — so the run goes on either way, one
 * savepoint cheaper (a request that runs one statement runs none).
 */
final class Held {

    private final Connection connection;
    private final Pool pool;
    private final PGConnection pg;
    private final boolean resets;
    private boolean work;
    /** Cancels on their way to this connection's server; guarded by its {@link Transaction}'s lock. */
    int signalling;
    /** Whether a cancel to it went unacknowledged (it may still arrive); guarded by the same lock. */
    boolean cancelUnconfirmed;
    /** Whether a statement, commit or rollback is in flight on it (only then is it ever ended); guarded by the same lock. */
    boolean busy;
    /**
     * Whether an end of its server process was attempted because it overran the deadline: it may have
     * landed even if the attempt failed, so the connection never goes back to the pool; guarded by the same lock.
     */
    boolean terminating;
    /** Whether the server confirmed that its process was ended; guarded by the same lock. */
    boolean terminated;

    /**
     * What {@link #reset} runs: {@code DISCARD ALL} without {@code DEALLOCATE ALL} and {@code DISCARD PLANS},
     * so pgjdbc's server-prepared statements and PL/pgSQL's plans survive (SQL-level {@code PREPARE} and
     * {@code DEALLOCATE} are refused: {@link Placeholders}). None of it needs to run outside a transaction,
     * so pgjdbc sends it whole in one round trip (one implicit transaction).
     */
    static final String RESET = "set session authorization default; reset all; unlisten *; select pg_advisory_unlock_all();"
            + " close all; discard temp; discard sequences";

    /** {@code resets}: whether the connection runs guests' SQL, so that its session needs a {@link #reset}. */
    Held(Connection connection, Pool pool, boolean resets) throws SQLException {
        this.connection = connection;
        this.pool = pool;
        this.resets = resets;
        this.pg = connection.unwrap(PGConnection.class);
    }

    Connection connection() {
        return connection;
    }

    /** Before a statement is sent: a savepoint only if earlier work must survive its refusal; true if it is the first. */
    boolean beforeStatement() {
        boolean first = !work;
        pg.setAutosave(first ? AutoSave.NEVER : AutoSave.ALWAYS);
        work = true;
        return first;
    }

    /** The server refused the statement {@link #beforeStatement} announced; a first one is rolled back with its transaction. */
    void refused(boolean first) throws SQLException {
        if (first) {
            connection.rollback();
            work = false;
        }
    }

    void commit() throws SQLException {
        connection.commit();
        work = false;
    }

    /** Asks the server to cancel what the connection runs now (from another thread). */
    void cancel() throws SQLException {
        pg.cancelQuery();
    }

    /** Ends the connection's server process from another connection (one that ignored its cancel); whether it was ended. */
    boolean terminate() throws SQLException {
        return pool.terminate(pg.getBackendPID());
    }

    /**
     * Resets the session for the connection's next user, as PgBouncer's {@code server_reset_query} does,
     * after the commit or rollback: settings, roles, advisory locks, cursors, temporary tables, sequence
     * state and listeners of this run go ({@link #RESET}). A key-value binding's connection runs only the
     * node's own SQL, so it is left as it is.
     */
    void reset() throws SQLException {
        if (!resets) {
            return;
        }
        connection.setAutoCommit(true);
        try (var s = connection.createStatement()) {
            s.execute(RESET);
        }
        connection.setAutoCommit(false);
    }

    /** Closes the connection for good instead of returning it to the pool. */
    void evict() {
        pool.evict(connection);
    }

    /** Back to the pool's setting (a savepoint before each statement) for the connection's next user. */
    void release() {
        pg.setAutosave(AutoSave.ALWAYS);
    }
}
