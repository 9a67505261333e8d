package dev.nanolet.platform.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.SettingsBinding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A module size of nothing, no upload at once, or no time to parse or import is refused at start: each refused every upload or import. */
class ModulePropertiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        nanolet.modules.max-size               | 0B | nanolet.modules.max-size (NANOLET_MODULES_MAX_SIZE) must be at least 1B, not 0B
        nanolet.modules.max-concurrent-uploads | 0  | nanolet.modules.max-concurrent-uploads (NANOLET_MODULES_MAX_CONCURRENT_UPLOADS) must be at least 1, not 0
        nanolet.modules.parse-timeout          | 0s | nanolet.modules.parse-timeout (NANOLET_MODULES_PARSE_TIMEOUT) must be at least 1ms, not 0s
        nanolet.modules.import-timeout         | 0s | nanolet.modules.import-timeout (NANOLET_IMPORT_TIMEOUT) must be at least 1ms, not 0s
        """)
    void aValueThatCannotWorkIsRefusedAtStartNamingItsSetting(String setting, String value, String message) {
        assertThat(SettingsBinding.refusal(ModuleProperties.class, setting, value)).isEqualTo(message);
    }
}
