package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** A cap of no followed logs would refuse every follow: platform-api does not start with it. */
class ApiLimitsTest {
    @Test
    void aFollowCapBelowOneIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new ApiLimits(DataSize.ofMegabytes(1), 0))
                .hasMessageContaining("NANOLET_API_MAX_LOG_FOLLOWS_PER_TOKEN").hasMessageContaining("not 0");
        assertThat(new ApiLimits(DataSize.ofMegabytes(1), 1).maxLogFollowsPerToken()).isEqualTo(1);
    }
}
