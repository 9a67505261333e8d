package dev.nanolet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPropertiesTest {

    @Test
    void backOffDoublesFromBaseUpToMax() {
        var p = new RestartProperties(Duration.ofSeconds(10), Duration.ofSeconds(300));
        assertThat(p.delay(0)).hasSeconds(10);
        assertThat(p.delay(1)).hasSeconds(20);
        assertThat(p.delay(4)).hasSeconds(160);
        assertThat(p.delay(5)).hasSeconds(300);
        assertThat(p.delay(40)).hasSeconds(300);
    }
}
