package dev.nanolet.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.nanolet.wire.LogLine;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A follow whose token check the database could not answer goes on: a pool with no connection to spare for its wait
 * ended every follow at once; a "no" ends it at once, and so do {@link 3} unanswered in a row.
 */
class LogFollowCheckTest {
    /** A node's stream that sends nothing until it is closed. */
    static final class Silent implements NodeLogClient.Upstream {
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void forEach(Consumer<LogLine> sink) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    static final class Ending extends SseEmitter {
        volatile boolean completed;

        @Override
        public void complete() {
            completed = true;
        }
    }

    /** A follow of one silent node's stream, its token checked by {@code stillValid}. */
    private record Follow(Thread thread, Silent upstream, Ending emitter) {
        static Follow of(BooleanSupplier stillValid) throws Exception {
            NodeLogClient client = mock(NodeLogClient.class);
            Silent upstream = new Silent();
            when(client.open(any(), anyInt(), anyBoolean())).thenReturn(upstream);
            Ending emitter = new Ending();
            LogMerge merge = new LogMerge(client, List.of(new LogMerge.Source(UUID.randomUUID(), "http://n", "t")), 10, emitter, () -> {});
            return new Follow(Thread.ofVirtual().start(() -> merge.follow(stillValid)), upstream, emitter);
        }
    }

    @Test
    void anUnansweredCheckDoesNotEndTheFollowButANoDoes() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        Follow follow = Follow.of(() -> switch (checks.incrementAndGet()) {
            case 1 -> throw new CannotGetJdbcConnectionException("no pooled connection within its wait");
            case 2 -> true;
            default -> false;
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> checks.get() >= 2);
        assertThat(follow.emitter().completed).as("the follow went on after a check the database could not answer").isFalse();
        await().atMost(Duration.ofSeconds(20)).until(() -> !follow.thread().isAlive());
        assertThat(follow.emitter().completed).isTrue();
        assertThat(follow.upstream().closed.getCount()).as("the node's stream is closed").isZero();
    }

    @Test
    void checksLeftUnansweredInARowEndTheFollow() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        Follow follow = Follow.of(() -> {
            checks.incrementAndGet();
            throw new CannotGetJdbcConnectionException("the database is down");
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> !follow.thread().isAlive());
        assertThat(checks.get()).isEqualTo(LogMerge.UNANSWERED_CHECKS);
        assertThat(follow.emitter().completed).isTrue();
    }
}
