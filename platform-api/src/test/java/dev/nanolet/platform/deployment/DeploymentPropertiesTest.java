package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.SettingsBinding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A replica cap below 1 (every deployment refused) or past the ceiling is refused at start. */
class DeploymentPropertiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        nanolet.deployments.max-replicas | 0      | nanolet.deployments.max-replicas (NANOLET_DEPLOYMENTS_MAX_REPLICAS) must be between 1 and 100000, not 0
        nanolet.deployments.max-replicas | 100001 | nanolet.deployments.max-replicas (NANOLET_DEPLOYMENTS_MAX_REPLICAS) must be between 1 and 100000, not 100001
        """)
    void aValueThatCannotWorkIsRefusedAtStartNamingItsSetting(String setting, String value, String message) {
        assertThat(SettingsBinding.refusal(DeploymentProperties.class, setting, value)).isEqualTo(message);
    }
}
