package dev.nanolet.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/** Failed calls are logged in a few words, without a stack trace. */
class PlatformClientTest {

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
}
