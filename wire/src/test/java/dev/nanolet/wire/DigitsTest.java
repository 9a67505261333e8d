package dev.nanolet.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DigitsTest {
    @Test
    void asciiDigitsUpToTheLimitAreTheirNumber() {
        assertThat(Digits.parse("0", 3)).hasValue(0);
        assertThat(Digits.parse("128", 3)).hasValue(128);
        assertThat(Digits.parse("007", 3)).hasValue(7);
        assertThat(Digits.parse("999999999999999999", 18)).hasValue(999_999_999_999_999_999L);
    }

    /** Each of these {@link Integer#parseInt} takes (but the empty, the long and the spaced ones): none is digits only. */
    @Test
    void aSignASpaceAnotherScriptsDigitsOrTooManyDigitsAreNoNumber() {
        for (String bad : new String[] {"+8", "-8", " 8", "8 ", "\u0668", "1\u0660", "\uff18", "\u0968", "1234", "", "0x1", "8_0"}) {
            assertThat(Digits.parse(bad, 3)).as(bad).isEqualTo(OptionalLong.empty());
        }
        assertThat(Integer.parseInt("\u0668")).as("what Digits exists for").isEqualTo(8);
        assertThat(Digits.parse(null, 3)).isEmpty();
    }

    @Test
    void aLimitThatCouldOverflowIsRefused() {
        assertThatThrownBy(() -> Digits.parse("1", 19)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Digits.parse("1", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
