package dev.nanolet.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitTimeoutTest {
    @Test
    void readsUnitsAndPlainSeconds() {
        assertThat(WaitTimeout.parse("120s")).isEqualTo(Duration.ofSeconds(120));
        assertThat(WaitTimeout.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(WaitTimeout.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(WaitTimeout.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(WaitTimeout.parse("9999999h")).isEqualTo(Duration.ofHours(9_999_999));
        assertThat(WaitTimeout.parse("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(WaitTimeout.parse("0")).isZero();
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {"soon", "-1s", "1.5s", "1.5h", "1e9h", "-1h", "h", "1hh", "1H", "12345678h", "", "12345678s", " 2m ", "2m ", " 5", "+5s", "\u0665s", "0x5"}) {
            assertThatThrownBy(() -> WaitTimeout.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("120s");
        }
        assertThatThrownBy(() -> WaitTimeout.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
