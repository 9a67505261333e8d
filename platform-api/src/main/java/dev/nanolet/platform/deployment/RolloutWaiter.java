package dev.nanolet.platform.deployment;

import dev.nanolet.platform.CredentialEndedException;
import dev.nanolet.platform.DatabaseUnansweredException;
import dev.nanolet.platform.database.DatabaseOutage;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentStatus.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Waits until a deployment's rollout is complete (its computed {@code Progressing} condition is
 * {@code RolloutComplete} for at least a given generation) or has failed ({@code Progressing=False}:
 * a failing replica or the progress deadline), or the timeout passes. The status is computed again
 * on each wake-up from {@code nanolet_control} (any instance's change to a deployment or to a replica's
 * phase that the status counts) and
 * at least every {@link #POLL}; between reads no database connection is held, and the caller's
 * thread is a virtual one (Tomcat runs requests on virtual threads), so a waiting pipeline costs
 * little. A wait may last an hour: every {@link #CHECK_EVERY} it asks whether the credential that asked for it still
 * holds, as a followed log does, and ends with {@link CredentialEndedException} (401) once it does not. A read of the
 * status or of the credential that the database could not answer (a pool with no connection to spare, a restart) is
 * tried again on the next tick; only when none has been answered for {@link #UNANSWERED_FOR} does the wait end with
 * that failure (503). Before, one such read ended a wait that would have succeeded.
 */
@Component
class RolloutWaiter {
    static final Duration POLL = Duration.ofSeconds(1);
    static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    /** How long the database may leave a wait's reads unanswered before the wait ends 503. */
    static final Duration UNANSWERED_FOR = Duration.ofSeconds(10);

    private final DeploymentQueries queries;
    private final RolloutSignals signals;
    private final Clock clock;

    RolloutWaiter(DeploymentQueries queries, RolloutSignals signals, Clock clock) {
        this.queries = queries;
        this.signals = signals;
        this.clock = clock;
    }

    /** What the request that waits did, which its 401 says: a write stays written, a read changed nothing. */
    enum Asked {
        WRITE("what the request wrote stays written"),
        READ("it was a read and changed nothing");

        final String after;

        Asked(String after) {
            this.after = after;
        }
    }

    /** How a wait ended. */
    sealed interface Outcome {
        Deployment deployment();
    }

    record Complete(Deployment deployment) implements Outcome {}

    /** @param reason {@code ReplicaFailure}, {@code ProgressDeadlineExceeded} or {@code Timeout} */
    record Failed(Deployment deployment, String reason, String message) implements Outcome {}

    /**
     * Waits for {@code namespace/name} to complete a rollout of at least {@code generation}; 404 if it goes away, 401
     * once {@code credential} (asked every {@link #CHECK_EVERY}) says the caller's credential no longer holds.
     */
    Outcome await(String namespace, String name, long generation, Duration timeout, BooleanSupplier credential, Asked asked) {
        Instant deadline = clock.instant().plus(timeout);
        Instant nextCheck = clock.instant().plus(CHECK_EVERY);
        Patience status = new Patience(clock);
        Patience check = new Patience(clock);
        Semaphore signal = signals.register();
        try {
            Deployment d = null;
            while (true) {
                Deployment last = d;
                d = status.ask(() -> queries.get(namespace, name), () -> unanswered(namespace, name, last, asked)).orElse(d);
                Outcome judged = d == null ? null : judge(d, generation);
                if (judged != null) {
                    return judged;
                }
                if (!clock.instant().isBefore(nextCheck)) {
                    Optional<Boolean> holds = check.ask(credential::getAsBoolean, () -> unanswered(namespace, name, last, asked));
                    if (holds.isPresent() && !holds.get()) {
                        throw new CredentialEndedException("the wait for deployment " + namespace + "/" + name
                                + (d == null ? "" : " (revision " + d.revision() + ")") + " ended: the credential that asked"
                                + " for it was revoked or has expired; " + asked.after);
                    }
                    if (holds.isPresent()) {
                        nextCheck = clock.instant().plus(CHECK_EVERY);
                    }
                }
                long left = Duration.between(clock.instant(), deadline).toMillis();
                if (left <= 0 || signals.stopping()) {
                    d = d == null ? queries.get(namespace, name) : d;
                    return new Failed(d, "Timeout", "revision " + d.revision() + " did not become available within "
                            + timeout.toMillis() / 1000.0 + " s: " + progressing(d).message());
                }
                if (signal.tryAcquire(Math.min(left, POLL.toMillis()), TimeUnit.MILLISECONDS)) {
                    signal.drainPermits();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Deployment d = queries.get(namespace, name);
            return new Failed(d, "Timeout", "the wait was interrupted (the server is stopping)");
        } finally {
            signals.unregister(signal);
        }
    }

    /** Complete, failed, or null while still progressing. */
    static Outcome judge(Deployment d, long generation) {
        Condition progressing = progressing(d);
        if (progressing.status().equals("False")) {
            return new Failed(d, progressing.reason(), progressing.message());
        }
        if (progressing.reason().equals("RolloutComplete") && d.status().observedGeneration() >= generation) {
            return new Complete(d);
        }
        return null;
    }

    private static Condition progressing(Deployment d) {
        return d.status().conditions().stream().filter(c -> c.type().equals("Progressing")).findFirst()
                .orElseThrow(() -> new IllegalStateException("every computed status has a Progressing condition"));
    }

    /** The 503 that ends a wait whose reads the database left unanswered: the write stays, unlike a plain outage's. */
    private static String unanswered(String namespace, String name, Deployment d, Asked asked) {
        return "the wait for deployment " + namespace + "/" + name + (d == null ? "" : " (revision " + d.revision() + ")")
                + " ended: the platform's database has not answered its reads for " + UNANSWERED_FOR.toSeconds() + " s; "
                + asked.after + "; read the deployment again shortly";
    }

    /**
     * One kind of read (the status, the credential check) that the database may leave unanswered for up to
     * {@link #UNANSWERED_FOR} since it last answered that kind: each kind has its own bound, so a credential check
     * that keeps failing ends the wait even while status reads are answered, and the other way round.
     */
    private static final class Patience {
        private final Clock clock;
        private Instant answered;

        Patience(Clock clock) {
            this.clock = clock;
            this.answered = clock.instant();
        }

        /**
         * What {@code read} answers; empty when the database could not answer it and has not left this kind unanswered
         * for long; past that, a {@link DatabaseUnansweredException} saying {@code why}.
         */
        <T> Optional<T> ask(Supplier<T> read, Supplier<String> why) {
            try {
                T value = read.get();
                answered = clock.instant();
                return Optional.of(value);
            } catch (RuntimeException e) {
                if (!DatabaseOutage.is(e)) {
                    throw e;
                }
                if (!clock.instant().isBefore(answered.plus(UNANSWERED_FOR))) {
                    throw new DatabaseUnansweredException(why.get(), e);
                }
                return Optional.empty();
            }
        }
    }
}
