package dev.nanolet.platform.wakeup;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This instance's one PostgreSQL {@code LISTEN} connection, fanned out to subscribers. A change
 * committed by any platform-api instance wakes the subscribers of every instance.
 *
 * <p>The notifications come from triggers in db-migrations, not from Java code; a write that
 * bypasses the tables below wakes nobody until the next timed pass:
 * <ul>
 *   <li>{@value #CONTROL}: payload {@code deployment:<id>}, once per deployment a statement changed
 *       in a way its controller acts on (V18__control_wakeups_per_deployment.sql): any INSERT or UPDATE
 *       on {@code deployments}; a replica created or deleted; a replica's phase moving into or out of
 *       Running, Succeeded, Failed, CrashLoopBackOff or Terminating, its {@code terminating} flag, or
 *       its node lost — not a binding, nor Scheduled → Pulling → Starting, nor reason, message or
 *       restarts. Payload {@code nodes} from {@code nodes_notify_control} (V3, INSERT on {@code nodes}:
 *       a lease renewal wakes nobody). Heard by the control loop ({@code control.ControlPassRunner},
 *       which reconciles just the deployments named) and rollout waits ({@code deployment.RolloutSignals}).
 *   <li>{@value #ASSIGNMENTS}: {@code notify_assignment_change()} (V1__init.sql), fired by
 *       {@code assignment_changes_notify} for each row appended to {@code assignment_changes}.
 *       Heard by the nodes' watch streams ({@code assignment.WatchSignals}).
 *   <li>{@value #ROUTES}: {@code notify_routes()} (V14__route_notifications.sql), fired per row by
 *       {@code replicas_notify_routes} (a replica starts or stops being Running, or a Running one's
 *       {@code terminating} changes), {@code replicas_gone_notify_routes} (a Running replica is deleted),
 *       {@code deployments_notify_routes} ({@code http_path} or {@code deleted_at} changes) and
 *       {@code deployments_gone_notify_routes}. Heard by {@code assignment.RouteSignals}: every watch
 *       stream sends its node a {@code routes} event.
 * </ul>
 *
 * <p>Subscribers run on the listener thread and must only enqueue or signal. After the
 * connection is (re)established every subscriber is called with a {@code null} payload, since
 * notifications may have been missed meanwhile.
 */
@Component
public class PgNotifications implements SmartLifecycle {
    /** Payload: name of the node whose assignments changed. */
    public static final String ASSIGNMENTS = "nanolet_assignments";
    /** Payload: {@code deployment:<id>} (that deployment changed) or {@code nodes} (a node registered). */
    public static final String CONTROL = "nanolet_control";
    /** No payload: the route table may have changed (a replica started or stopped running, a route moved). */
    public static final String ROUTES = "nanolet_routes";

    private static final Logger log = LoggerFactory.getLogger(PgNotifications.class);
    private static final List<String> CHANNELS = List.of(ASSIGNMENTS, CONTROL, ROUTES);

    /**
     * How often the listener asks its connection a {@code SELECT 1}. A {@code LISTEN} connection only
     * reads, and a read of nothing cannot tell a quiet server from a link that a NAT or a load balancer
     * forgot (idle flows are dropped silently, TCP keepalive first probes after 2 h); the query's read
     * fails within the driver's socket timeout instead, and the listener connects again. It also keeps
     * the flow from being idle.
     */
    static final Duration PROBE_EVERY = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final Duration probeEvery;
    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;
    private volatile CountDownLatch stopped = new CountDownLatch(1);

    @Autowired
    PgNotifications(DataSource dataSource) {
        this(dataSource, PROBE_EVERY);
    }

    PgNotifications(DataSource dataSource, Duration probeEvery) {
        this.dataSource = dataSource;
        this.probeEvery = probeEvery;
    }

    /** Calls {@code subscriber} with the payload of each notification on {@code channel}. */
    public void subscribe(String channel, Consumer<String> subscriber) {
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(subscriber);
    }

    @Override
    public void start() {
        stopped = new CountDownLatch(1);
        running = true;
        thread = Thread.ofPlatform().daemon().name("pg-listen").start(this::listenWhileRunning);
    }

    @Override
    public void stop() {
        running = false;
        stopped.countDown();
        thread.interrupt();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listenWhileRunning() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                listen(connection);
            } catch (SQLException e) {
                if (running) {
                    log.warn("LISTEN connection lost, reconnecting: {}", e.getMessage());
                    pause();
                }
            }
        }
    }

    private void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String channel : CHANNELS) {
                statement.execute("LISTEN " + channel);
            }
        }
        CHANNELS.forEach(channel -> dispatch(channel, null));
        PGConnection pg = connection.unwrap(PGConnection.class);
        long probe = System.nanoTime() + probeEvery.toNanos();
        while (running) {
            PGNotification[] notifications = pg.getNotifications(500);
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    dispatch(n.getName(), n.getParameter());
                }
            }
            if (System.nanoTime() - probe >= 0) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                probe = System.nanoTime() + probeEvery.toNanos();
            }
        }
    }

    private void dispatch(String channel, String payload) {
        subscribers.getOrDefault(channel, List.of()).forEach(s -> s.accept(payload));
    }

    /** Waits before reconnecting; {@link #stop()} ends the wait at once. */
    private void pause() {
        try {
            stopped.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
