package dev.nanolet.agent.bindings;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One binding's connections on this node: a HikariCP pool that never fails at creation (a database
 * that is down now is reached once it is back), connections without auto-commit (one transaction per
 * run), pgjdbc with a savepoint before each statement (a failed statement leaves the transaction
 * usable) and untyped string parameters (the server infers their type).
 */
final class Pool implements AutoCloseable {

    private final HikariDataSource pool;
    private volatile boolean kvTableReady;

    Pool(String name, Target target, int size, BindingProperties props, MeterRegistry registry) {
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
        config.addDataSourceProperty("connectTimeout", Math.max(1, props.connectTimeout().toSeconds()));
        config.addDataSourceProperty("tcpKeepAlive", true);
        config.addDataSourceProperty("autosave", "always");
        config.addDataSourceProperty("stringtype", "unspecified");
        config.addDataSourceProperty("ApplicationName", name);
        config.setMetricRegistry(registry);
        this.pool = new HikariDataSource(config);
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
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
