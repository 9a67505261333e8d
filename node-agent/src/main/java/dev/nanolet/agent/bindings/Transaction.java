package dev.nanolet.agent.bindings;

import dev.nanolet.agent.runtime.BindingError;
import dev.nanolet.agent.runtime.Bindings;
import dev.nanolet.wire.DeploymentSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bindings of one request or job run: a connection per binding, taken from its pool on first use
 * and held in one transaction until {@link #end}, which commits when the run succeeded and rolls back
 * otherwise (an explicit {@code commit} call commits what came before it). At the run's deadline one
 * task cancels whatever statement its connections are running (one scheduled task per run, not a pgjdbc
 * timer per statement), and no statement starts after it; a server too frozen to take the cancel fails the
 * connection's read {@link BindingProperties#silentServerGrace()} past the deadline. The task goes on through {@link #end}'s commits and
 * rollbacks, and a connection still busy {@link BindingProperties#terminateAfter()} past the deadline has its server process ended, so
 * no server-side work outlives its run. A binding whose database could not be reached, or whose
 * connection broke mid-run, answers {@link BindingError#UNAVAILABLE} for the rest of the run, so a
 * later statement can never commit without the earlier ones; {@link #unavailable()} says why.
 */
public final class Transaction implements Bindings, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Transaction.class);
    static final long RECANCEL_MS = 50;

    private final Map<String, DeploymentSpec.Binding> declared;
    private final Function<DeploymentSpec.Binding, BindingPools.Bound> binder;
    private final Map<String, BindingPools.Bound> bound = new HashMap<>();
    private final BindingProperties props;
    private final KeyValue kv;
    private final long deadline;
    private final ScheduledExecutorService deadlines;
    /** Guards itself, {@code atDeadline} and {@code ended}: the run's thread and the deadline task both use them. */
    private final Map<String, Held> open = new LinkedHashMap<>();
    private Future<?> atDeadline;
    private boolean ended;
    /** Whether a cancel round is running, so that a slow server never piles rounds up. */
    private final AtomicBoolean cancelling = new AtomicBoolean();
    /** Whether a failed end of a server process was logged: once per run, the rounds retry every {@value #RECANCEL_MS} ms. */
    private final AtomicBoolean terminateFailureLogged = new AtomicBoolean();
    private final Map<String, String> broken = new HashMap<>();
    private String unavailable;
    private boolean commitFailed;

    Transaction(Map<String, DeploymentSpec.Binding> declared, Function<DeploymentSpec.Binding, BindingPools.Bound> binder,
            BindingProperties props, ScheduledExecutorService deadlines, long deadlineNanos) {
        this.declared = Map.copyOf(declared);
        this.binder = binder;
        this.props = props;
        this.kv = new KeyValue(props);
        this.deadline = deadlineNanos;
        this.deadlines = deadlines;
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
        b.meters().call(op, reply.error(), System.nanoTime() - start);
        if (reply.error() == BindingError.UNAVAILABLE) {
            b.meters().unreachable(reply.message());
            if (unavailable == null) {
                unavailable = reply.message();
            }
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
        if (deadline - System.nanoTime() <= 0) {
            return late(binding);
        }
        Held h;
        try {
            h = connection(binding, b);
        } catch (SQLException e) {
            Reply reply = SqlErrors.reply(binding, e);
            if (reply.error() == BindingError.UNAVAILABLE) {
                lose(binding, reply.message());
            }
            return reply;
        }
        if (deadline - System.nanoTime() <= 0) { // the wait for a connection took the rest of the run
            return late(binding);
        }
        boolean firstStatement = false;
        busy(h, true);
        try {
            boundReads(h.connection());
            if (op == Op.COMMIT) {
                h.commit();
                return Reply.ok(0);
            }
            Connection c = h.connection();
            return switch (op) {
                case PG_QUERY -> {
                    Statement s = Statement.parse(first);
                    try (PreparedStatement ps = s.prepare(c, b.pool())) {
                        ps.setMaxRows(props.maxRows() + 1);
                        firstStatement = h.beforeStatement();
                        try (ResultSet rs = ps.executeQuery()) {
                            yield Reply.data(RowSet.encode(rs, props.maxRows(), props.maxResultBytes().toBytes()));
                        }
                    }
                }
                case PG_EXECUTE -> {
                    try (PreparedStatement ps = Statement.parse(first).prepare(c, b.pool())) {
                        firstStatement = h.beforeStatement();
                        yield Reply.ok(ps.executeLargeUpdate());
                    }
                }
                default -> {
                    firstStatement = h.beforeStatement();
                    yield kv.call(op, c, binding, first, second);
                }
            };
        } catch (Statement.Invalid e) {
            return e.reply(binding);
        } catch (RowSet.TooLarge e) {
            return Reply.error(BindingError.TOO_LARGE, "binding '" + binding + "': " + e.getMessage());
        } catch (SQLException e) {
            if (Pool.resultAboveBuffer(e)) {
                String why = "binding '" + binding + "': the result is above " + props.maxResultBytes().toBytes()
                        + " bytes (rows above " + Pool.maxBatchBytes(props) + " bytes at once: the connection was closed"
                        + " and the binding's transaction rolled back)";
                lose(binding, why);
                return Reply.error(BindingError.TOO_LARGE, why);
            }
            String ending = ending(h);
            if (ending != null) {
                String why = "binding '" + binding + "': the statement went on past the run's deadline despite its cancel,"
                        + " so " + ending + " (the binding's transaction is rolled back)";
                lose(binding, why);
                return Reply.error(BindingError.TIMEOUT, why);
            }
            Reply reply = SqlErrors.reply(binding, e);
            if (reply.error() != BindingError.UNAVAILABLE) {
                try {
                    h.refused(firstStatement);
                    return reply;
                } catch (SQLException lost) {
                    reply = SqlErrors.reply(binding, lost);
                }
            }
            lose(binding, reply.message());
            return reply;
        } finally {
            busy(h, false);
        }
    }

    private void busy(Held h, boolean busy) {
        synchronized (open) {
            h.busy = busy;
        }
    }

    private static Reply late(String binding) {
        return Reply.error(BindingError.TIMEOUT, "binding '" + binding + "': the run's deadline has passed");
    }

    /**
     * The cancel at the deadline needs a server that answers; one that stopped answering (frozen, a link
     * that drops packets) fails the connection's next read {@link BindingProperties#silentServerGrace()} past the
     * deadline instead (or that long after now, once it has passed), before the guest pool would write
     * the thread off. Set before each statement, commit and rollback: the timeout is per read.
     */
    private void boundReads(Connection c) throws SQLException {
        long left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, left + props.silentServerGrace().toMillis()));
    }

    private Held connection(String binding, BindingPools.Bound b) throws SQLException {
        Held h;
        synchronized (open) {
            h = open.get(binding);
        }
        if (h != null) {
            return h;
        }
        long start = System.nanoTime();
        Connection c = b.pool().connection();
        b.meters().poolWait(System.nanoTime() - start);
        b.meters().reached();
        h = new Held(c, b.pool(), !b.type().equals("kv"));
        synchronized (open) {
            open.put(binding, h);
            if (atDeadline == null && !deadlines.isShutdown()) {
                atDeadline = deadlines.scheduleWithFixedDelay(this::cancelRound, deadline - System.nanoTime(),
                        TimeUnit.MILLISECONDS.toNanos(RECANCEL_MS), TimeUnit.NANOSECONDS);
            }
        }
        if (b.type().equals("kv") && !b.pool().kvTableReady()) {
            boundReads(c);
            createKvTable(c);
            b.pool().kvTableCreated();
        }
        return h;
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
     * At the deadline, and again every {@value #RECANCEL_MS} ms until {@link #end} cancels the task: asks
     * the server to cancel what each connection of the run is running (a statement in progress fails with
     * 57014, {@code NL_TIMEOUT}; an idle connection ignores it), so a statement that was sent just as the
     * deadline passed is cancelled too. Each cancel opens a connection of its own to the server, so a
     * round runs on a virtual thread, never on the scheduler's, and a round still running skips the tick.
     */
    private void cancelRound() {
        if (cancelling.compareAndSet(false, true)) {
            Thread.ofVirtual().name("binding-deadline-cancel").start(() -> {
                try {
                    cancelAll();
                } finally {
                    cancelling.set(false);
                }
            });
        }
    }

    /**
     * Cancels each open connection's statement, unless the run has ended, and ends the server process of
     * each that still has a statement, commit or rollback in flight {@link BindingProperties#terminateAfter()} past
     * the deadline (an idle one, a binding waiting for its turn in {@link #end}, is left alone); a failed
     * end is tried again next round. The signals go out without the lock (a server that stopped answering
     * holds each cancel up to {@link Pool#CANCEL_SIGNAL_TIMEOUT_SECONDS}), so the run's thread can drop a
     * connection that broke meanwhile; a connection that goes back to the pool waits until the round is
     * over, terminates included ({@link #awaitSignals}), or a signal could reach its next user.
     */
    private void cancelAll() {
        List<Held> targets;
        List<Held> overran;
        synchronized (open) {
            if (ended) {
                return;
            }
            targets = List.copyOf(open.values());
            targets.forEach(h -> h.signalling++);
            boolean late = System.nanoTime() - deadline >= props.terminateAfter().toNanos();
            overran = late ? targets.stream().filter(h -> h.busy && !h.terminated).toList() : List.of();
            overran.forEach(h -> h.terminating = true);
        }
        List<Held> unconfirmed = new ArrayList<>();
        try {
            for (Held h : targets) {
                long start = System.nanoTime();
                try {
                    h.cancel();
                } catch (SQLException e) {
                    log.debug("cancelling a binding statement at the deadline failed: {}", e.getMessage());
                }
                // pgjdbc gives up on a server that does not acknowledge the cancel without saying so: the
                // cancel may still be waiting there, and reach whoever uses the connection next
                if (System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(Pool.CANCEL_SIGNAL_TIMEOUT_SECONDS) * 9 / 10) {
                    unconfirmed.add(h);
                }
            }
            overran.forEach(this::terminate);
        } finally {
            synchronized (open) {
                targets.forEach(h -> h.signalling--);
                unconfirmed.forEach(h -> h.cancelUnconfirmed = true);
                open.notifyAll();
            }
        }
    }

    private void terminate(Held h) {
        String failure;
        try {
            if (h.terminate()) {
                synchronized (open) {
                    h.terminated = true;
                }
                return;
            }
            failure = "the server did not end it";
        } catch (SQLException e) {
            failure = e.getMessage();
        }
        if (terminateFailureLogged.compareAndSet(false, true)) {
            log.warn("a binding's statement went on past the run's deadline despite its cancel, and its server process could"
                    + " not be ended ({}); trying again until the run ends", failure);
        }
    }

    /**
     * How the end of {@code h}'s server process went, once the attempt is over or the run's time to read
     * from the database is up ({@link BindingProperties#silentServerGrace()} past the deadline); null if none was made.
     */
    private String ending(Held h) {
        synchronized (open) {
            if (!h.terminating) {
                return null;
            }
        }
        awaitSignals(h, deadline + props.silentServerGrace().toNanos());
        synchronized (open) {
            return h.terminated ? "its server process was ended"
                    : "its server process could not be ended (it may still be running on the database)";
        }
    }

    /**
     * Waits until no cancel is on its way to {@code h}'s server (an interrupt does not cut the wait short,
     * it is kept); whether one may still reach it, unacknowledged.
     */
    private boolean awaitSignals(Held h) {
        return awaitSignals(h, Long.MAX_VALUE);
    }

    /** {@link #awaitSignals(Held)}, giving up at {@code until} ({@link System#nanoTime}). */
    private boolean awaitSignals(Held h, long until) {
        boolean interrupted = false;
        try {
            synchronized (open) {
                while (h.signalling > 0) {
                    long left = until == Long.MAX_VALUE ? 0 : TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                    if (until != Long.MAX_VALUE && left <= 0) {
                        break;
                    }
                    try {
                        open.wait(left);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                return h.cancelUnconfirmed;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A binding whose connection broke mid-transaction answers unavailable for the rest of the run (what it
     * wrote is gone; HikariCP drops the connection); one that got no connection may try again.
     */
    private void lose(String binding, String why) {
        Held h;
        synchronized (open) {
            h = open.get(binding);
        }
        if (h != null) {
            broken.put(binding, why);
            settle(binding, h, false);
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
     * A commit that fails rolls back the rest and makes {@link #unavailable()} say so. The deadline task
     * covers the commits and rollbacks too (each connection stays open until settled), and is cancelled last.
     */
    public void end(boolean success) {
        List<Map.Entry<String, Held>> ending;
        synchronized (open) {
            ending = List.copyOf(open.entrySet());
        }
        boolean commit = success && unavailable == null;
        for (var e : ending) {
            String failure = settle(e.getKey(), e.getValue(), commit);
            if (failure != null && commit) {
                commit = false;
                commitFailed = true;
                unavailable = failure;
            }
        }
        synchronized (open) {
            ended = true;
            if (atDeadline != null) {
                atDeadline.cancel(false);
            }
        }
    }

    /** For tests: as if a cancel to {@code binding}'s connection had gone unacknowledged. */
    void cancelWentUnacknowledged(String binding) {
        synchronized (open) {
            open.get(binding).cancelUnconfirmed = true;
        }
    }

    /** Rolls back whatever {@link #end} did not settle (a run that failed outside its guest). */
    @Override
    public void close() {
        end(false);
    }

    /**
     * Commits or rolls back, takes the connection out of the run (no cancel round targets it after that),
     * resets its session ({@link Held#reset}) and returns it (a broken one at once; one that an
     * unacknowledged cancel or an attempted terminate may still reach, or whose reset failed, is evicted
     * instead); why the commit failed, or null.
     */
    private String settle(String binding, Held h, boolean commit) {
        Connection c = h.connection();
        h.release();
        String failure = null;
        busy(h, true);
        try {
            boundReads(c);
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            busy(h, false);
            failure = commitFailure(binding, h, e);
            log.debug("ending a binding transaction failed: {}", e.getMessage());
        }
        busy(h, false);
        synchronized (open) {
            open.remove(binding, h);
        }
        boolean reset = false;
        try {
            if (!c.isClosed()) {
                h.reset();
                reset = true;
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("resetting a binding connection failed: {}", e.getMessage());
        }
        try {
            boolean unconfirmed = !c.isClosed() && (awaitSignals(h) || terminating(h));
            if (unconfirmed || !reset && !c.isClosed()) { // HikariCP closes a broken connection itself: it never reaches another user
                h.evict(); // closes it at once: a close() after it would fail inside HikariCP
            } else {
                c.close();
            }
        } catch (SQLException | RuntimeException e) { // one connection's failure must not keep the others from ending
            log.debug("returning a binding connection failed: {}", e.getMessage());
        }
        return failure;
    }

    /** Whether an end of {@code h}'s server process was attempted: it may land, so the connection is never reused. */
    private boolean terminating(Held h) {
        synchronized (open) {
            return h.terminating;
        }
    }

    /** What the run's 503 says about a commit that failed with {@code e}, and whether anything was committed. */
    private String commitFailure(String binding, Held h, Exception e) {
        String prefix = "binding '" + binding + "': ";
        String ending = ending(h);
        if (ending != null) {
            return prefix + "the commit went on past the run's deadline despite its cancel, so " + ending + ";"
                    + " whether the transaction was committed is unknown";
        }
        if (e instanceof SQLException s && "57014".equals(s.getSQLState())) {
            return prefix + "the commit was cancelled at the run's deadline; nothing was committed";
        }
        if (e instanceof SQLException s && !SqlErrors.unavailable(s)) {
            return SqlErrors.reply(binding, s).message() + "; nothing was committed";
        }
        String why = e instanceof SQLException s ? SqlErrors.reply(binding, s).message() : prefix + "the commit failed";
        return why + "; whether the transaction was committed is unknown";
    }
}
