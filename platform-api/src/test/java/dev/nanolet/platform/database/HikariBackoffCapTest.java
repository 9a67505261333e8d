package dev.nanolet.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.nanolet.testsupport.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A pool in front of a real PostgreSQL reached through a loopback gate that first hangs up on every
 * connection (the database is down) and then passes them on (it is back).
 */
class HikariBackoffCapTest {

    @Test
    void aPoolWhoseAdderBackedOffToFiveSecondsConnectsAtOnceWhenTheDatabaseIsBack() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Matcher m = Pattern.compile("//([^:/]+):(\\d+)/").matcher(db.url());
        assertThat(m.find()).isTrue();
        HikariBackoffCap cap = new HikariBackoffCap();
        try (Gate gate = new Gate(m.group(1), Integer.parseInt(m.group(2)));
                HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(db.url().replace("//" + m.group(1) + ":" + m.group(2) + "/", "//127.0.0.1:" + gate.port() + "/"));
            pool.setUsername(db.user());
            pool.setPassword(db.password());
            pool.setConnectionTimeout(500);
            pool.setInitializationFailTimeout(-1);
            cap.postProcessAfterInitialization(pool, "dataSource");
            cap.start();

            // down for 7 s: Hikari's adder doubles its back-off from 10 ms to its cap of 5 s
            long downUntil = System.nanoTime() + Duration.ofSeconds(7).toNanos();
            while (System.nanoTime() < downUntil) {
                assertThat(connects(pool)).isFalse();
            }
            // back just after a refused attempt: uncapped, the adder would sleep up to 5 s before the next one
            int attempts = gate.attempts.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> connects(pool) || gate.attempts.get() > attempts);
            gate.open.set(true);
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> connects(pool));
            long millis = (System.nanoTime() - back) / 1_000_000;

            assertThat(millis).as("ms from the database's return to the pool's first connection").isLessThan(2000);
        } finally {
            if (cap.isRunning()) {
                cap.stop();
            }
        }
    }

    private static boolean connects(HikariDataSource pool) {
        try (Connection c = pool.getConnection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Hangs up on every connection until {@code open}, then passes each on to the database. */
    private static final class Gate implements AutoCloseable {
        final AtomicBoolean open = new AtomicBoolean();
        final AtomicInteger attempts = new AtomicInteger();
        private final ServerSocket server;

        Gate(String host, int port) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        attempts.incrementAndGet();
                        if (!open.get()) {
                            client.close();
                            continue;
                        }
                        Socket upstream = new Socket(host, port);
                        pipe(client.getInputStream(), upstream.getOutputStream(), client, upstream);
                        pipe(upstream.getInputStream(), client.getOutputStream(), client, upstream);
                    } catch (IOException closed) {
                        // the gate is closing, or one connection failed
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pipe(InputStream in, OutputStream out, Socket a, Socket b) {
            Thread.ofVirtual().start(() -> {
                try (a; b) {
                    in.transferTo(out);
                } catch (IOException ended) {
                    // either side hung up
                }
            });
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
