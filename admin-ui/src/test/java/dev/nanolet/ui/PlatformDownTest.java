package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With nothing listening at NANOLET_PLATFORM_URL, sign-in says so instead of failing blankly, and
 * such tries cost the address nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlatformDownTest {
    private static int deadPort;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void deadPlatform(DynamicPropertyRegistry registry) throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        deadPort = free;
        registry.add("nanolet.platform.url", () -> "http://127.0.0.1:" + deadPort);
        registry.add("nanolet.platform.timeout", () -> "1s");
    }

    @Test
    void signInExplainsThatPlatformApiCannotBeReached() {
        UiSession session = new UiSession("http://localhost:" + port);
        UiSession.Response r = session.signIn("anything");
        assertThat(r.redirect()).isEqualTo("/sign-in?error=unavailable");
        assertThat(session.page("/sign-in?error=unavailable")).contains("platform-api cannot be reached right now");
    }

    @Test
    void triesWhilePlatformApiIsDownAreNeverThrottledAndTheAddressSignsInOnceItIsBack() {
        UiSession session = new UiSession("http://127.0.0.1:" + port, "127.0.0.31");
        for (int i = 0; i < 11; i++) {
            assertThat(session.signIn("anything-" + i).redirect()).as("try %d of 11, 5 free failures", i + 1).isEqualTo("/sign-in?error=unavailable");
        }

        FakePlatformApi back = new FakePlatformApi(deadPort);
        try {
            assertThat(session.signIn(FakePlatformApi.ADMIN_TOKEN).redirect()).isEqualTo("/");
        } finally {
            back.stop();
        }
    }
}
