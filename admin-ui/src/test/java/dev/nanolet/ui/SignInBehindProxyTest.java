package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;

/**
 * The sign-in throttle behind a reverse proxy (127.0.0.20, trusted): each client the proxy forwards counts on its
 * own. On Kubernetes, as under Helm, where Spring Boot would otherwise let Netty take any client's X-Forwarded-For
 * as its address, a client that connects directly still cannot be anyone else.
 */
@TestPropertySource(properties = {"nanolet.ui.trusted-proxies=127.0.0.20/32", "spring.main.cloud-platform=kubernetes"})
class SignInBehindProxyTest extends UiTest {
    private static final String PROXY = "127.0.0.20";

    @Test
    void oneAttackersFailuresThroughTheProxyMakeOnlyThatAttackerWait() {
        UiSession attacker = through(PROXY, "203.0.113.9, " + PROXY);
        SignInThrottlingTest.failFiveTimes(attacker);

        assertThat(attacker.signIn(FakePlatformApi.ADMIN_TOKEN).status()).isEqualTo(429);
        assertThat(through(PROXY, "198.51.100.1").signIn(FakePlatformApi.ADMIN_TOKEN).redirect()).as("another user, same proxy").isEqualTo("/");
    }

    @Test
    void aClientThatConnectsDirectlyCannotForgeItsAddress() {
        for (int i = 0; i < 5; i++) {
            assertThat(through("127.0.0.21", "203.0.113." + i).signIn("guess-" + i).redirect()).isEqualTo("/sign-in?error=token");
        }

        assertThat(through("127.0.0.21", "203.0.113.99").signIn(FakePlatformApi.ADMIN_TOKEN).status()).isEqualTo(429);
        assertThat(through(PROXY, "203.0.113.1").signIn(FakePlatformApi.ADMIN_TOKEN).redirect()).as("the forged address never counted")
                .isEqualTo("/");
    }

    /**
     * Behind a TLS-terminating Ingress the dashboard sees plain HTTP: the trusted proxy's X-Forwarded-Proto keeps the
     * session cookie Secure (and HSTS on), as Netty's forwarded handling did on Kubernetes before it was turned off;
     * anyone else's is ignored.
     */
    @Test
    void aTrustedProxysHttpsKeepsTheSessionCookieSecureAndNoOneElsesCounts() {
        UiSession.Response viaTls = through(PROXY, Map.of("X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "https"))
                .signIn(FakePlatformApi.ADMIN_TOKEN);
        assertThat(viaTls.redirect()).isEqualTo("/");
        assertThat(viaTls.headers().get(HttpHeaders.SET_COOKIE)).anySatisfy(c -> assertThat(c).startsWith("NANOLET_SESSION=").contains("; Secure"));
        assertThat(viaTls.headers().getFirst("Strict-Transport-Security")).isNotNull();

        for (UiSession plain : List.of(through(PROXY, Map.of("X-Forwarded-For", "198.51.100.8")),
                through(PROXY, Map.of("X-Forwarded-For", "198.51.100.9", "X-Forwarded-Proto", "wss")),
                through("127.0.0.22", Map.of("X-Forwarded-Proto", "https")))) {
            UiSession.Response r = plain.signIn(FakePlatformApi.ADMIN_TOKEN);
            assertThat(r.redirect()).isEqualTo("/");
            assertThat(r.headers().get(HttpHeaders.SET_COOKIE)).allSatisfy(c -> assertThat(c).doesNotContain("Secure"));
            assertThat(r.headers().getFirst("Strict-Transport-Security")).isNull();
        }
    }

    private UiSession through(String peer, String forwardedFor) {
        return through(peer, Map.of("X-Forwarded-For", forwardedFor));
    }

    private UiSession through(String peer, Map<String, String> headers) {
        return new UiSession("http://127.0.0.1:" + port, peer, headers);
    }
}
