package dev.nanolet.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.SettingsBinding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An audit log kept for no time (every entry deleted at the next prune, or at once) is refused at start. */
class AuditPropertiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        nanolet.audit.retention | 0s   | nanolet.audit.retention (NANOLET_AUDIT_RETENTION) must be at least 1ms, not 0s
        nanolet.audit.retention | -90d | nanolet.audit.retention (NANOLET_AUDIT_RETENTION) must be at least 1ms, not -90d
        """)
    void aValueThatCannotWorkIsRefusedAtStartNamingItsSetting(String setting, String value, String message) {
        assertThat(SettingsBinding.refusal(AuditProperties.class, setting, value)).isEqualTo(message);
    }
}
