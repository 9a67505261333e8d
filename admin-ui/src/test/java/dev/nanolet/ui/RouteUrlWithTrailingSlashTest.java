package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code NANOLET_ROUTE_URL} written with a trailing {@code /}: the deployment page shows the route as "try it" calls it,
 * with one {@code /} between the two. Not a {@link UiTest}, whose route URL Spring would set after this one's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "nanolet.platform.timeout=30s")
class RouteUrlWithTrailingSlashTest {
    private static final FakePlatformApi API = UiTest.API;
    private static final String PAGE = "/deployments/default/hello";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void platform(DynamicPropertyRegistry registry) {
        registry.add("nanolet.platform.url", API::url);
        registry.add("nanolet.platform.route-url", () -> API.url() + "/");
    }

    @BeforeEach
    void resetApi() {
        API.reset();
    }

    @Test
    void thePageShowsTheUrlTryItCalls() {
        UiSession session = new UiSession("http://localhost:" + port);
        assertThat(UiTest.signInAsAdmin(session)).isTrue();
        Fixtures.deploy(session, "hello", 1);

        assertThat(session.page(PAGE)).contains("id=\"route-url\">" + API.url() + "/hello<");
        UiSession.Response tried = session.post(PAGE, PAGE + "/try", Map.of("suffix", ""));
        assertThat(tried.body()).contains("GET " + API.url() + "/hello<").contains("id=\"try-status\">200<");
    }
}
