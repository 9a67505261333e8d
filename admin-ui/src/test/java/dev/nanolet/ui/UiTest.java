package dev.nanolet.ui;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of the admin-ui tests: the real application on a random port, talking HTTP to one
 * shared {@link FakePlatformApi}, which is emptied before each test. Its calls to platform-api may take 30 s: on a busy
 * machine a call to the fake (a sign-in's first, say) took longer than the 2 s they had; the tests of the timeouts
 * themselves are {@link ShortPlatformLimits}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"nanolet.platform.timeout=30s", "nanolet.platform.log-tail-timeout=30s",
    "nanolet.platform.import-timeout=30s"})
public abstract class UiTest {
    protected static final FakePlatformApi API = new FakePlatformApi();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void platform(DynamicPropertyRegistry registry) {
        registry.add("nanolet.platform.url", API::url);
        registry.add("nanolet.platform.route-url", API::url);
    }

    @BeforeEach
    void resetApi() {
        API.reset();
    }

    protected String baseUrl() {
        return "http://localhost:" + port;
    }

    protected UiSession signedIn() {
        UiSession session = new UiSession(baseUrl());
        UiSession.Response r = session.signIn(FakePlatformApi.ADMIN_TOKEN);
        if (r.status() != 302 || !"/".equals(r.location())) {
            throw new AssertionError("sign-in answered " + r.status() + " " + r.location());
        }
        return session;
    }
}
