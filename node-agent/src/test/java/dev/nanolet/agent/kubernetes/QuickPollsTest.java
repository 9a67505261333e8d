package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The Kubernetes test classes' quick polls leave Awaitility's defaults, which the classes run after them share, alone. */
class QuickPollsTest {

    @Test
    void aQuickPolledWaitLeavesTheDefaultsAnotherClassSet() {
        List<Object> looks = new CopyOnWriteArrayList<>();
        Awaitility.setDefaultConditionEvaluationListener(looks::add); // as AgentTestBase sets its poll interval, once per JVM
        try {
            QuickPolls.await().until(() -> true);
            looks.clear();
            Awaitility.await().until(() -> true);
            assertThat(looks).isNotEmpty();
        } finally {
            Awaitility.setDefaultConditionEvaluationListener(null);
        }
    }
}
