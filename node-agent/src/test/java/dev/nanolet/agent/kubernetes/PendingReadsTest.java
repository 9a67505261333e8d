package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A pod's config maps and secrets read off the worker: a weighing that needs one not read yet ends pending. */
class PendingReadsTest {

    /** The reads started and not run yet: run by the test, one at a time. */
    private final Queue<Runnable> started = new ArrayDeque<>();
    private final PendingReads reads = new PendingReads(started::add);
    private final UUID pod = UUID.randomUUID();
    private final AtomicInteger gets = new AtomicInteger();
    private final AtomicInteger again = new AtomicInteger();
    /** The blocking reads: config map {@code settings} has {@code level}, secret {@code token} is refused. */
    private final PodTranslation.Lookup blocking = new PodTranslation.Lookup() {
        @Override
        public Optional<Map<String, String>> configMap(String namespace, String name) {
            gets.incrementAndGet();
            return "settings".equals(name) ? Optional.of(Map.of("level", "debug")) : Optional.empty();
        }

        @Override
        public Optional<Map<String, String>> secret(String namespace, String name) {
            gets.incrementAndGet();
            throw new PodTranslation.MissingConfig("secret \"" + name + "\" cannot be read for the container's env", PodTranslation.Retry.ON_EVENT);
        }
    };

    private PendingReads.Weighing weighing() {
        return reads.of(pod, blocking, again::incrementAndGet);
    }

    /**
     * The first weighing starts the read and ends pending, saying nothing of the pod; the read's end asks for the pod to be
     * weighed again, which takes what it read without a read of its own; once a weighing ends waiting for no read, the
     * next one reads anew.
     */
    @Test
    void aWeighingStartsTheReadEndsPendingAndTheNextTakesWhatItRead() {
        PendingReads.Weighing first = weighing();
        assertThat(catchThrowable(() -> first.configMap("default", "settings"))).isInstanceOf(PodTranslation.Unread.class);
        assertThat(first.pending()).isTrue();
        assertThat(catchThrowable(() -> weighing().configMap("default", "settings"))).as("while it is under way")
                .isInstanceOf(PodTranslation.Unread.class);
        assertThat(started).as("one read, however often it is needed while under way").hasSize(1);

        started.remove().run();
        assertThat(again).hasValue(1);
        PendingReads.Weighing second = weighing();
        assertThat(second.configMap("default", "settings")).contains(Map.of("level", "debug"));
        assertThat(second.pending()).isFalse();
        assertThat(gets).hasValue(1);

        reads.settle(pod);
        assertThat(reads.pods()).isZero();
        assertThat(catchThrowable(() -> weighing().configMap("default", "settings"))).isInstanceOf(PodTranslation.Unread.class);
        assertThat(started).as("read anew after a settled weighing").hasSize(1);
    }

    /** A read that failed fails the weighing that takes it as the blocking read would have, not as pending. */
    @Test
    void aFailedReadIsTakenAsItsFailure() {
        catchThrowable(() -> weighing().secret("default", "token"));
        started.remove().run();

        PendingReads.Weighing second = weighing();
        assertThat(catchThrowable(() -> second.secret("default", "token"))).isExactlyInstanceOf(PodTranslation.MissingConfig.class)
                .hasMessage("secret \"token\" cannot be read for the container's env");
        assertThat(second.pending()).isFalse();
    }

    /** A pod gone leaves nothing kept, whatever its reads were doing. */
    @Test
    void aPodForgottenKeepsNothing() {
        catchThrowable(() -> weighing().configMap("default", "settings"));
        reads.forget(pod);
        started.remove().run();

        assertThat(reads.pods()).isZero();
    }
}
