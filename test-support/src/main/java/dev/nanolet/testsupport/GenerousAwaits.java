package dev.nanolet.testsupport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Awaitility's default {@code atMost} for every test class, {@link #AT_MOST} instead of Awaitility's own 10 s: an await
 * that names no bound waits for something that is only slower on a busy machine, so its bound only limits how long a
 * failing test hangs and costs a passing run nothing. An await whose bound is what it tests names its own. JUnit
 * loads this extension by its autodetection, which a module turns on in its {@code junit-platform.properties}; it is
 * set again before each class, so a class that changed the default leaves the next one the same. A module that turns
 * it on has a test that calls {@link #assertInForce}, so that the autodetection cannot go off unnoticed (the property
 * removed, or another {@code junit-platform.properties} read instead of the module's).
 */
public final class GenerousAwaits implements BeforeAllCallback {
    public static final Duration AT_MOST = Duration.ofSeconds(60);

    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultTimeout(AT_MOST);
    }

    /** Fails unless an await that names no bound gets {@link #AT_MOST}: this extension ran before the calling class. */
    public static void assertInForce() {
        AtomicLong bound = new AtomicLong();
        Awaitility.await().conditionEvaluationListener(c -> bound.set(c.getElapsedTimeInMS() + c.getRemainingTimeInMS()))
                .until(() -> true);
        if (Math.abs(bound.get() - AT_MOST.toMillis()) > 1_000) {
            throw new AssertionError("an await that names no bound waits up to " + bound.get() + " ms, not " + AT_MOST
                    + ": turn on junit.jupiter.extensions.autodetection.enabled in the module's junit-platform.properties");
        }
    }
}
