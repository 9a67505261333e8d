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
            // back at the next refused attempt, by the gate itself: uncapped, the adder then sleeps 5 s before its next one
            gate.openAfterNextRefusal();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> connects(pool));
            long millis = (System.nanoTime() - gate.openedAt()) / 1_000_000;

            // Uncapped it is never less than Hikari's 5 s back-off, however loaded the machine (a sleep is never shorter);
            // capped, at most the period (250 ms) and one connection: 80 ms at load 12-15 here; 4 s leaves that room to
            // grow more than 10-fold on a loaded CI machine. The bound was 2 s, measured from when the test saw the
            // refusal, up to 0.6 s late, which also made an uncapped pool look faster than it is.
            assertThat(millis).as("ms from the database's return to the pool's first connection").isLessThan(4000);
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

    /** Hangs up on every connection until it opens, then passes each on to the database. */
    private static final class Gate implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean();
        private final AtomicBoolean openAfterNext = new AtomicBoolean();
        private volatile long openedAt;
        private final ServerSocket server;

        Gate(String host, int port) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        if (!open.get()) {
                            client.close();
                            if (openAfterNext.get()) {
                                openedAt = System.nanoTime();
                                open.set(true);
                            }
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

        /** Hangs up on the next connection still, and then opens: the database is back just after a refused attempt. */
        void openAfterNextRefusal() {
            openAfterNext.set(true);
        }

        /** When it opened ({@link System#nanoTime}). */
        long openedAt() {
            return openedAt;
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
