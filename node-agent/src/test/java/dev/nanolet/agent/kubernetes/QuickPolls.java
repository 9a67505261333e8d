package dev.nanolet.agent.kubernetes;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Awaitility looks at a condition first after its poll interval (100 ms) and then every 100 ms: a test that waits for
 * a dozen changes of the mock API server spends over a second before conditions that were already true or came
 * soon after. The Kubernetes test classes' {@code await()}: the first look at once, then every {@value #INTERVAL_MS} ms.
 * Not by Awaitility's defaults: those are one JVM's for every test class that runs in it, and some set their own once
 * ({@code AgentTestBase}'s 20 s timeout), which a class that reset them after it would take from every class after.
 */
final class QuickPolls {

    static final long INTERVAL_MS = 20;

    private QuickPolls() {}

    static ConditionFactory await() {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(INTERVAL_MS));
    }
}
