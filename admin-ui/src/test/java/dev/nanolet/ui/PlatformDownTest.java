package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With nothing listening at NANOLET_PLATFORM_URL, sign-in says so instead of failing blankly. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlatformDownTest {
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void deadPlatform(DynamicPropertyRegistry registry) throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        int dead = free;
        registry.add("nanolet.platform.url", () -> "http://127.0.0.1:" + dead);
        registry.add("nanolet.platform.timeout", () -> "1s");
    }

    @Test
    void signInExplainsThatPlatformApiCannotBeReached() {
        UiSession session = new UiSession("http://localhost:" + port);
        UiSession.Response r = session.signIn("anything");
        assertThat(r.redirect()).isEqualTo("/sign-in?error=unavailable");
        assertThat(session.page("/sign-in?error=unavailable")).contains("platform-api cannot be reached right now");
    }
}
