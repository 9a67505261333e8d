package dev.nanolet.platform.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.SettingsBinding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A control loop of no interval (passes back to back) or of centuries (its nanoseconds overflow), or no retention, is refused at start. */
class ControlPropertiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        nanolet.control.interval  | 0s      | nanolet.control.interval must be between 1ms and 1d, not 0s
        nanolet.control.interval  | 300000d | nanolet.control.interval must be between 1ms and 1d, not 300000d
        nanolet.control.retention | -1h     | nanolet.control.retention must be at least 1ms, not -1h
        """)
    void aValueThatCannotWorkIsRefusedAtStartNamingItsSetting(String setting, String value, String message) {
        assertThat(SettingsBinding.refusal(ControlProperties.class, setting, value)).isEqualTo(message);
    }
}
