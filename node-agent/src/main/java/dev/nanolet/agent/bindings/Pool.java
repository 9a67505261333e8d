package dev.nanolet.agent.bindings;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.postgresql.Driver;

/**
 * One binding's connections on this node: a HikariCP pool that never fails at creation (a database
 * that is down now is reached once it is back), connections without auto-commit (one transaction per
 * run), pgjdbc with a savepoint before each statement (a failed statement leaves the transaction
 * usable) and untyped string parameters (the server infers their type).
 */
final class Pool implements AutoCloseable {

    /** Statement texts whose JDBC form is kept; past it the cache starts over (guests use a few fixed texts). */
    static final int PLACEHOLDER_CACHE = 256;
    /** How long (s) the out-of-band cancel of a statement may take to connect and be acknowledged. */
    static final int CANCEL_SIGNAL_TIMEOUT_SECONDS = 1;
    /**
     * Rows pgjdbc reads from the server at a time (a cursor: the run's transaction is open), so a query's
     * result is encoded as it arrives and stops at the caps ({@link RowSet}) instead of being read whole first.
     */
    static final int FETCH_ROWS = 100;

    private final HikariDataSource pool;
    private final Target target;
    private final String name;
    private final Map<String, Placeholders> placeholders = new ConcurrentHashMap<>();
    private volatile boolean kvTableReady;

    Pool(String name, Target target, int size, BindingProperties props, MeterRegistry registry) {
        this.target = target;
        this.name = name;
        var config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(target.jdbcUrl());
        config.setUsername(target.user());
        config.setPassword(target.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setAutoCommit(false);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(Math.max(250, props.connectTimeout().toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(1000, props.connectTimeout().toMillis())));
        config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, props.connectTimeout().toSeconds())));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // a cancel at a run's deadline (Transaction) to a server that stopped answering gives up within a second, not pgjdbc's 10
        config.addDataSourceProperty("cancelSignalTimeout", String.valueOf(CANCEL_SIGNAL_TIMEOUT_SECONDS));
        config.addDataSourceProperty("defaultRowFetchSize", String.valueOf(FETCH_ROWS));
        config.addDataSourceProperty("maxResultBuffer", String.valueOf(maxBatchBytes(props)));
        config.addDataSourceProperty("autosave", "always");
        config.addDataSourceProperty("stringtype", "unspecified");
        config.addDataSourceProperty("ApplicationName", name);
        config.setMetricRegistry(registry);
        this.pool = new HikariDataSource(config);
    }

    /**
     * The most pgjdbc may hold of one batch of rows ({@code maxResultBuffer}, counted from each row's
     * header before its values are allocated): twice the result cap. A value's text or binary form is at
     * most 1.5 times its JSON (bytea as hex against base64), and a batch of {@value #FETCH_ROWS} rows of
     * the widest binary columns stays far below it, so a batch above it is a result above the cap anyway.
     * Past it pgjdbc gives up reading and closes the connection ({@link #resultAboveBuffer}).
     */
    static long maxBatchBytes(BindingProperties props) {
        return 2 * props.maxResultBytes().toBytes();
    }

    /** Whether {@code e} is pgjdbc refusing a batch of rows above {@link #maxBatchBytes} (the connection is closed). */
    static boolean resultAboveBuffer(SQLException e) {
        return "08S01".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains("maxResultBuffer");
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Ends server process {@code pid}, one of this pool's connections, with {@code pg_terminate_backend};
     * whether the server says it was ended. PostgreSQL lets a role end its own role's processes. It runs
     * on an idle connection of the pool if there is one, else on a short-lived connection of its own —
     * which fails exactly when the role or server is at its connection limit. For a statement or commit
     * that ignored its cancel (a PL/pgSQL loop that catches {@code query_canceled}); a server does not
     * notice a closed client while it sleeps or loops.
     */
    boolean terminate(int pid) throws SQLException {
        if (pool.getHikariPoolMXBean() instanceof HikariPool idle && idle.getIdleConnections() > 0) {
            // bounded like the other signals, not by the pool's connection timeout (an idle one may be dead)
            try (Connection c = idle.getConnection(TimeUnit.SECONDS.toMillis(CANCEL_SIGNAL_TIMEOUT_SECONDS))) {
                c.setNetworkTimeout(Runnable::run, (int) TimeUnit.SECONDS.toMillis(CANCEL_SIGNAL_TIMEOUT_SECONDS));
                try {
                    return terminate(c, pid);
                } finally {
                    c.rollback();
                }
            }
        }
        var info = new Properties();
        info.setProperty("user", target.user());
        info.setProperty("password", target.password());
        info.setProperty("connectTimeout", String.valueOf(CANCEL_SIGNAL_TIMEOUT_SECONDS));
        info.setProperty("socketTimeout", String.valueOf(CANCEL_SIGNAL_TIMEOUT_SECONDS));
        info.setProperty("ApplicationName", name + " (terminate)");
        try (Connection c = new Driver().connect(target.jdbcUrl(), info)) {
            return terminate(c, pid);
        }
    }

    private static boolean terminate(Connection c, int pid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_terminate_backend(?)")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Closes {@code c}, one of this pool's, instead of taking it back. */
    void evict(Connection c) {
        pool.evictConnection(c);
    }

    /** {@code sql} in JDBC's form, rewritten once per text (a text too long to be worth keeping is not kept). */
    Placeholders placeholders(String sql) {
        Placeholders p = placeholders.get(sql);
        if (p == null) {
            p = Placeholders.of(sql);
            if (sql.length() <= 4096) {
                if (placeholders.size() >= PLACEHOLDER_CACHE) {
                    placeholders.clear();
                }
                placeholders.put(sql, p);
            }
        }
        return p;
    }

    boolean kvTableReady() {
        return kvTableReady;
    }

    void kvTableCreated() {
        kvTableReady = true;
    }

    @Override
    public void close() {
        pool.close();
    }
}
