package dev.nanolet.agent.kubernetes;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Awaitility looks at a condition first after its poll interval (100 ms) and then every 100 ms: a test that waits for
 * a dozen changes of the mock API server spends over a second before conditions that were already true or came
 * soon after. For a test class: the first look at once, then every {@value #INTERVAL_MS} ms; the defaults again
 * after it.
 */
final class QuickPolls implements BeforeAllCallback, AfterAllCallback {

    static final long INTERVAL_MS = 20;

    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(INTERVAL_MS));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Awaitility.reset();
    }
}
