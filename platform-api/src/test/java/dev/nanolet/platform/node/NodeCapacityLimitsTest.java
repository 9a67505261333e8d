package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.SettingsBinding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A node capacity bound below 1, under which every node's registration was refused (422, retried for ever), is refused at start. */
class NodeCapacityLimitsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        nanolet.nodes.max-capacity.instances  | 0  | nanolet.nodes.max-capacity.instances (NANOLET_NODES_MAX_CAPACITY_INSTANCES) must be at least 1, not 0
        nanolet.nodes.max-capacity.memory-mib | -1 | nanolet.nodes.max-capacity.memory-mib (NANOLET_NODES_MAX_CAPACITY_MEMORY_MIB) must be at least 1, not -1
        """)
    void aValueThatCannotWorkIsRefusedAtStartNamingItsSetting(String setting, String value, String message) {
        assertThat(SettingsBinding.refusal(NodeCapacityLimits.class, setting, value)).isEqualTo(message);
    }
}
