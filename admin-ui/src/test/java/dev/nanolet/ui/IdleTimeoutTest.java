package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code NANOLET_UI_IDLE_TIMEOUT} closes a connection that carries no request, never one whose answer is still
 * coming: an import may keep its page waiting for minutes (import-timeout), far longer than the idle timeout.
 */
@TestPropertySource(properties = "server.netty.idle-timeout=1s")
class IdleTimeoutTest extends UiTest {
    @Test
    void anImportWaitedForLongerThanTheIdleTimeoutStillAnswers() {
        UiSession session = signedIn();
        API.delayModules(Duration.ofSeconds(3));

        assertThat(Fixtures.importImage(session, "registry.example/team/hello:1.0")).startsWith("sha256:");
    }
}
