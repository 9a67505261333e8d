package dev.nanolet.testsupport;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Awaitility's default {@code atMost} for every test class, {@link #AT_MOST} instead of Awaitility's own 10 s: an await
 * that names no bound waits for something that is only slower on a busy machine, so its bound only limits how long a
 * failing test hangs and costs a passing run nothing. An await whose bound is what it tests names its own. JUnit
 * loads this extension by its autodetection, which a module turns on in its {@code junit-platform.properties}; it is
 * set again before each class, so a class that changed the default leaves the next one the same.
 */
public final class GenerousAwaits implements BeforeAllCallback {
    public static final Duration AT_MOST = Duration.ofSeconds(60);

    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultTimeout(AT_MOST);
    }
}
