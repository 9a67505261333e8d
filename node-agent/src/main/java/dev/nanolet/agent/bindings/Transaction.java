package dev.nanolet.agent.bindings;

import dev.nanolet.agent.runtime.BindingError;
import dev.nanolet.agent.runtime.Bindings;
import dev.nanolet.wire.DeploymentSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bindings of one request or job run: a connection per binding, taken from its pool on first use
 * and held in one transaction until {@link #end}, which commits when the run succeeded and rolls back
 * otherwise (an explicit {@code commit} call commits what came before it). Every statement's timeout is
 * what is left of the run's deadline. A binding whose database could not be reached, or whose
 * connection broke mid-run, answers {@link BindingError#UNAVAILABLE} for the rest of the run, so a
 * later statement can never commit without the earlier ones; {@link #unavailable()} says why.
 */
public final class Transaction implements Bindings, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Transaction.class);

    private final Map<String, DeploymentSpec.Binding> declared;
    private final Function<DeploymentSpec.Binding, BindingPools.Bound> binder;
    private final Map<String, BindingPools.Bound> bound = new HashMap<>();
    private final BindingProperties props;
    private final BindingMetrics metrics;
    private final KeyValue kv;
    private final long deadline;
    private final Map<String, Connection> open = new LinkedHashMap<>();
    private final Map<String, String> broken = new HashMap<>();
    private String unavailable;
    private boolean commitFailed;

    Transaction(Map<String, DeploymentSpec.Binding> declared, Function<DeploymentSpec.Binding, BindingPools.Bound> binder,
            BindingProperties props, BindingMetrics metrics, long deadlineNanos) {
        this.declared = Map.copyOf(declared);
        this.binder = binder;
        this.props = props;
        this.metrics = metrics;
        this.kv = new KeyValue(props);
        this.deadline = deadlineNanos;
    }

    @Override
    public Set<String> types() {
        return declared.values().stream().map(DeploymentSpec.Binding::type).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Reply call(Op op, String binding, byte[] first, byte[] second) {
        DeploymentSpec.Binding d = declared.get(binding);
        if (d == null || op.type() != null && !op.type().equals(d.type())) {
            return Reply.error(BindingError.UNDECLARED, d == null
                    ? "the deployment declares no binding named '" + binding + "'"
                    : "binding '" + binding + "' is a " + d.type() + " binding, not " + op.type());
        }
        BindingPools.Bound b = bound.computeIfAbsent(binding, n -> binder.apply(d));
        long start = System.nanoTime();
        Reply reply = run(op, binding, b, first, second);
        metrics.call(b.scope(), op.name().toLowerCase(Locale.ROOT),
                reply.error() == null ? "ok" : reply.error().name().toLowerCase(Locale.ROOT), System.nanoTime() - start);
        if (reply.error() == BindingError.UNAVAILABLE && unavailable == null) {
            unavailable = reply.message();
        }
        return reply;
    }

    private Reply run(Op op, String binding, BindingPools.Bound b, byte[] first, byte[] second) {
        if (broken.containsKey(binding)) {
            return Reply.error(BindingError.UNAVAILABLE, broken.get(binding));
        }
        if (b.pool() == null) {
            return Reply.error(BindingError.UNAVAILABLE, "binding '" + binding + "': " + b.problem());
        }
        if ("postgres".equals(op.type()) && first.length > props.maxRequestBytes().toBytes()) {
            return Reply.error(BindingError.TOO_LARGE, "binding '" + binding + "': the request is above "
                    + props.maxRequestBytes().toBytes() + " bytes");
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            return Reply.error(BindingError.TIMEOUT, "binding '" + binding + "': the run's deadline has passed");
        }
        try {
            Connection c = connection(binding, b);
            return switch (op) {
                case PG_QUERY -> query(c, Statement.parse(first), left);
                case PG_EXECUTE -> {
                    try (PreparedStatement ps = Statement.parse(first).prepare(c, left)) {
                        yield Reply.ok(ps.executeLargeUpdate());
                    }
                }
                case COMMIT -> {
                    c.commit();
                    yield Reply.ok(0);
                }
                default -> kv.call(op, c, binding, first, second, left);
            };
        } catch (Statement.Invalid e) {
            return e.reply(binding);
        } catch (RowSet.TooLarge e) {
            return Reply.error(BindingError.TOO_LARGE, "binding '" + binding + "': " + e.getMessage());
        } catch (SQLException e) {
            Reply reply = SqlErrors.reply(binding, e);
            if (reply.error() == BindingError.UNAVAILABLE) {
                lose(binding, reply.message());
            }
            return reply;
        }
    }

    private Reply query(Connection c, Statement s, long left) throws SQLException {
        try (PreparedStatement ps = s.prepare(c, left)) {
            ps.setMaxRows(props.maxRows() + 1);
            try (ResultSet rs = ps.executeQuery()) {
                return Reply.data(RowSet.encode(rs, props.maxRows(), props.maxResultBytes().toBytes()));
            }
        }
    }

    private Connection connection(String binding, BindingPools.Bound b) throws SQLException {
        Connection c = open.get(binding);
        if (c != null) {
            return c;
        }
        long start = System.nanoTime();
        c = b.pool().connection();
        metrics.poolWait(b.scope(), System.nanoTime() - start);
        open.put(binding, c);
        if (b.type().equals("kv") && !b.pool().kvTableReady()) {
            createKvTable(c);
            b.pool().kvTableCreated();
        }
        return c;
    }

    /** In its own transaction before any of the run's statements; a concurrent creator is no error. */
    private static void createKvTable(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute(KeyValue.CREATE);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /**
     * A binding whose connection broke mid-transaction answers unavailable for the rest of the run (what it
     * wrote is gone; HikariCP drops the connection); one that got no connection may try again.
     */
    private void lose(String binding, String why) {
        Connection c = open.remove(binding);
        if (c != null) {
            broken.put(binding, why);
            quietly(c, false);
        }
    }

    /**
     * Why the run's answer must be 503 instead: its commit failed, or a binding was unavailable and the
     * guest did not succeed anyway ({@code guestSucceeded}: exit 0 and, for a request, a status below 500).
     */
    public Optional<String> unavailable(boolean guestSucceeded) {
        return commitFailed || !guestSucceeded ? Optional.ofNullable(unavailable) : Optional.empty();
    }

    /**
     * Commits ({@code success}) or rolls back every binding's transaction and returns the connections.
     * A commit that fails rolls back the rest and makes {@link #unavailable()} say so.
     */
    public void end(boolean success) {
        boolean commit = success && unavailable == null;
        for (var e : open.entrySet()) {
            if (!quietly(e.getValue(), commit) && commit) {
                commit = false;
                commitFailed = true;
                unavailable = "binding '" + e.getKey() + "': the transaction could not be committed (the database is unavailable)";
            }
        }
        open.clear();
    }

    /** Rolls back whatever {@link #end} did not settle (a run that failed outside its guest). */
    @Override
    public void close() {
        end(false);
    }

    /** Commits or rolls back and returns the connection; false if the commit failed. */
    private static boolean quietly(Connection c, boolean commit) {
        boolean ok = true;
        try {
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
        } catch (SQLException e) {
            ok = false;
            log.debug("ending a binding transaction failed: {}", e.getMessage());
        }
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("returning a binding connection failed: {}", e.getMessage());
        }
        return ok;
    }
}
