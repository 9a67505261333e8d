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
 * themselves are {@link ShortLimitsTest}s.
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

    /** A new browser signed in as the admin. */
    protected UiSession signedIn() {
        UiSession session = new UiSession(baseUrl());
        if (!signInAsAdmin(session)) {
            throw new AssertionError("sign-in: platform-api did not answer");
        }
        return session;
    }

    /** Signs {@code session} in as the admin: false if platform-api did not answer (in time), else it must have worked. */
    static boolean signInAsAdmin(UiSession session) {
        UiSession.Response r = session.signIn(FakePlatformApi.ADMIN_TOKEN);
        if ("/sign-in?error=unavailable".equals(r.location())) {
            return false;
        }
        if (r.status() != 302 || !"/".equals(r.location())) {
            throw new AssertionError("sign-in answered " + r.status() + " " + r.location());
        }
        return true;
    }
}
