package dev.nanolet.platform.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.SettingsBinding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Events kept for no time, or none of an object (each deleted as it was written), are refused at start. */
class EventPropertiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        nanolet.events.ttl            | 0s  | nanolet.events.ttl (NANOLET_EVENTS_TTL) must be at least 1ms, not 0s
        nanolet.events.ttl            | -1h | nanolet.events.ttl (NANOLET_EVENTS_TTL) must be at least 1ms, not -1h
        nanolet.events.max-per-object | 0   | nanolet.events.max-per-object (NANOLET_EVENTS_MAX_PER_OBJECT) must be at least 1, not 0
        """)
    void aValueThatCannotWorkIsRefusedAtStartNamingItsSetting(String setting, String value, String message) {
        assertThat(SettingsBinding.refusal(EventProperties.class, setting, value)).isEqualTo(message);
    }
}
