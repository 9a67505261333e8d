package dev.nanolet.platform.wakeup;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This instance's one PostgreSQL {@code LISTEN} connection, fanned out to subscribers. A change
 * committed by any platform-api instance wakes the subscribers of every instance.
 *
 * <p>Subscribers run on the listener thread and must only enqueue or signal. After the
 * connection is (re)established every subscriber is called with a {@code null} payload, since
 * notifications may have been missed meanwhile.
 */
@Component
public class PgNotifications implements SmartLifecycle {
    /** Payload: name of the node whose assignments changed. */
    public static final String ASSIGNMENTS = "nanolet_assignments";
    /** Payload: name of the table that changed (deployments, replicas, nodes). */
    public static final String CONTROL = "nanolet_control";
    /** No payload: the route table may have changed (a replica started or stopped running, a route moved). */
    public static final String ROUTES = "nanolet_routes";

    private static final Logger log = LoggerFactory.getLogger(PgNotifications.class);
    private static final List<String> CHANNELS = List.of(ASSIGNMENTS, CONTROL, ROUTES);

    private final DataSource dataSource;
    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;
    private volatile CountDownLatch stopped = new CountDownLatch(1);

    PgNotifications(DataSource dataSource) {
        this.dataSource = dataSource;
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
        while (running) {
            PGNotification[] notifications = pg.getNotifications(500);
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    dispatch(n.getName(), n.getParameter());
                }
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
