package dev.nanolet.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.FakePlatform;
import dev.nanolet.agent.config.AuthProperties;
import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.PlatformProperties;
import dev.nanolet.wire.NodeRegistration;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import tools.jackson.databind.json.JsonMapper;

/** Failed calls are logged in a few words, without a stack trace; a registration's answer is waited for. */
class PlatformClientTest {

    @Test
    void aSlowRegistrationIsWaitedForNotAbandonedWithItsOneTimeCredential() throws Exception {
        try (FakePlatform platform = new FakePlatform()) {
            platform.registrationDelay = Duration.ofMillis(1500); // longer than an ordinary call may take (1 s here)
            var props = new PlatformProperties(platform.url(), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(250),
                    Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofSeconds(45), Duration.ofSeconds(15));
            var node = new NodeProperties("slow", Map.of(), 1, 64, 8181, null, Files.createTempDirectory("nanolet-slow-registration"));
            var json = JsonMapper.builder().build();
            var identity = new NodeIdentity(node, new AuthProperties(FakePlatform.TOKEN), json);
            var client = new PlatformClient(WebClient.builder(), props, identity, node, json, Duration.ofSeconds(1));

            client.register(new NodeRegistration("slow", Map.of(), new NodeRegistration.Capacity(1, 64), null)).block(Duration.ofSeconds(30));

            assertThat(identity.hasCredential()).isTrue();
            assertThat(identity.bearer()).isEqualTo(platform.credential("slow"));
            assertThat(platform.registrations).hasSize(1);
        }
    }

    @Test
    void describesAFailedCallByItsStatusOrItsInnermostCause() {
        assertThat(PlatformClient.describe(WebClientResponseException.create(HttpStatus.SERVICE_UNAVAILABLE, "x", null, null, null, null)))
                .isEqualTo("HTTP 503");
        var refused = new ConnectException("finishConnect(..) failed with error(-111): Connection refused: localhost/127.0.0.1:8090");
        assertThat(PlatformClient.describe(new IllegalStateException("wrapped", refused)))
                .isEqualTo("Connection refused: localhost/127.0.0.1:8090");
        assertThat(PlatformClient.describe(new TimeoutException())).isEqualTo("no answer in time");
        assertThat(PlatformClient.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void namesWhatPlatformApiSaidAboutARefusalInOnePrintableBoundedLine() {
        byte[] moved = """
                {"title":"Conflict","status":409,"detail":"node n1 is registered at http://10.0.0.5:8181;\\nonly an admin can change its address"}
                """.getBytes(StandardCharsets.UTF_8);
        assertThat(PlatformClient.describe(WebClientResponseException.create(HttpStatus.CONFLICT, "x", null, moved, StandardCharsets.UTF_8, null)))
                .isEqualTo("HTTP 409: node n1 is registered at http://10.0.0.5:8181; only an admin can change its address");
        byte[] huge = ("{\"detail\":\"" + "x".repeat(10_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(PlatformClient.describe(WebClientResponseException.create(HttpStatus.BAD_REQUEST, "x", null, huge, StandardCharsets.UTF_8, null)))
                .hasSize("HTTP 400: ".length() + PlatformClient.DETAIL_CHARS + 1);
        byte[] html = "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8);
        assertThat(PlatformClient.describe(WebClientResponseException.create(HttpStatus.BAD_GATEWAY, "x", null, html, StandardCharsets.UTF_8, null)))
                .isEqualTo("HTTP 502");
    }
}
