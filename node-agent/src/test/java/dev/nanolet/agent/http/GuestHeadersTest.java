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
}
