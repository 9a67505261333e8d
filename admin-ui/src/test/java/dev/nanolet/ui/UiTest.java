package dev.nanolet.ui;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the admin-ui tests: the real application on a random port, talking HTTP to one
 * shared {@link FakePlatformApi}, which is emptied before each test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class UiTest {
    protected static final FakePlatformApi API = new FakePlatformApi();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void platform(DynamicPropertyRegistry registry) {
        registry.add("nanolet.platform.url", API::url);
        registry.add("nanolet.platform.route-url", API::url);
        registry.add("nanolet.platform.timeout", () -> "2s");
        registry.add("nanolet.platform.log-tail-timeout", () -> "5s");
        registry.add("nanolet.platform.import-timeout", () -> "6s");
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
