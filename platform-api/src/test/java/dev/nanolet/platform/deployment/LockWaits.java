package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.deployment.DeploymentConcurrencyTest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * For tests that provoke one interleaving of concurrent writes: a transaction holding a row both need (the module's
 * pauses every write inside its first revision insert, whose foreign key waits for it) stops the first, then the
 * second, each with its earlier locks held, and then lets both go on.
 */
final class LockWaits {
    private LockWaits() {}

    /** Holds {@code module}'s row in {@code pause} (not auto-commit) until it commits. */
    static void holdModule(Connection pause, String module) throws SQLException {
        pause.setAutoCommit(false);
        run(pause, "SELECT 1 FROM modules WHERE digest = ? FOR UPDATE", module);
    }

    /** How many sessions of the test database wait for a lock (a row or an advisory lock). */
    static int waiting(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'", Integer.class);
    }

    /**
     * Sends {@code first}, waits until it waits for a lock, sends {@code second}, waits until both wait, then commits
     * {@code pause} (which holds what they wait for); answers both answers, in that order.
     */
    static List<Response> interleave(JdbcTemplate jdbc, Connection pause, Supplier<Response> first, Supplier<Response> second)
            throws Exception {
        CompletableFuture<Response> one = CompletableFuture.supplyAsync(first);
        await().atMost(Duration.ofSeconds(20)).until(() -> waiting(jdbc) >= 1 || one.isDone());
        CompletableFuture<Response> two = CompletableFuture.supplyAsync(second);
        await().atMost(Duration.ofSeconds(20)).until(() -> waiting(jdbc) >= 2 || two.isDone());
        pause.commit();
        return List.of(one.get(20, TimeUnit.SECONDS), two.get(20, TimeUnit.SECONDS));
    }

    /** Both answers are 200. */
    static void bothOk(List<Response> answers) {
        answers.forEach(answer -> assertThat(answer.status()).as(answer.body()).isEqualTo(200));
    }
}
