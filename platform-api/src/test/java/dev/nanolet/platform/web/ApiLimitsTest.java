package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** A cap of no followed logs would refuse every follow, a tail time of zero cut every tail: platform-api does not start. */
class ApiLimitsTest {
    private static final Duration TAIL = Duration.ofSeconds(20);

    @Test
    void aFollowCapBelowOneIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new ApiLimits(DataSize.ofMegabytes(1), 0, TAIL))
                .hasMessageContaining("NANOLET_API_MAX_LOG_FOLLOWS_PER_TOKEN").hasMessageContaining("not 0");
        assertThat(new ApiLimits(DataSize.ofMegabytes(1), 1, TAIL).maxLogFollowsPerToken()).isEqualTo(1);
    }

    @Test
    void aTailTimeOfZeroOrLessIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new ApiLimits(DataSize.ofMegabytes(1), 1, Duration.ZERO))
                .hasMessageContaining("NANOLET_API_LOG_TAIL_TIME").hasMessageContaining("not PT0S");
        assertThatThrownBy(() -> new ApiLimits(DataSize.ofMegabytes(1), 1, Duration.ofSeconds(-1)))
                .hasMessageContaining("NANOLET_API_LOG_TAIL_TIME");
        assertThat(new ApiLimits(DataSize.ofMegabytes(1), 1, Duration.ofMillis(1)).logTailTime()).isEqualTo(Duration.ofMillis(1));
    }
}
