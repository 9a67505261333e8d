package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestHeadersTest {

    @Test
    void aModuleCannotSendAFieldNodesSendOneAnother() {
        var fields = List.of(Map.entry("Content-Type", "text/plain"), Map.entry(Forwarder.NO_ROUTE, "1"),
                Map.entry(Forwarder.FORWARDED.toLowerCase(), "1"), Map.entry("X-NANOLET-Anything", "x"), Map.entry("X-Nanolet", "kept"));
        assertThat(GuestHeaders.toClient(fields)).containsExactly(Map.entry("Content-Type", "text/plain"), Map.entry("X-Nanolet", "kept"));
    }

    @Test
    void theConnectionAndTheFramingAreTheNodes() {
        var fields = List.of(Map.entry("Connection", "close, X-Secret ,\tx-other"), Map.entry("keep-alive", "timeout=99"), Map.entry("Upgrade", "h2c"),
                Map.entry("TE", "trailers"), Map.entry("Trailer", "X-T"), Map.entry("Transfer-Encoding", "chunked"),
                Map.entry("Proxy-Authenticate", "Basic"), Map.entry("Proxy-Connection", "keep-alive"), Map.entry("Content-Length", "99"),
                Map.entry("x-secret", "1"), Map.entry("X-Other", "2"), Map.entry("Content-Type", "text/plain"), Map.entry("X-Kept", "3"));
        assertThat(GuestHeaders.toClient(fields)).containsExactly(Map.entry("Content-Type", "text/plain"), Map.entry("X-Kept", "3"));
    }
}
