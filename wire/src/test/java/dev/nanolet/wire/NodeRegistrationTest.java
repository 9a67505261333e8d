package dev.nanolet.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one test of "is this label the admin's", shared by platform-api and node-agent. */
class NodeRegistrationTest {
    @Test
    void restrictedLabelsAreThoseUnderThePrefixOnly() {
        assertThat(NodeRegistration.restricted("node-restriction.nanolet.dev/tier")).isTrue();
        assertThat(NodeRegistration.restricted("node-restriction.nanolet.dev")).isFalse();
        assertThat(NodeRegistration.restricted("tier")).isFalse();
        assertThat(NodeRegistration.restricted("x.node-restriction.nanolet.dev/tier")).isFalse();
        assertThat(NodeRegistration.restricted(Map.of("zone", "a", "node-restriction.nanolet.dev/z", "1", "node-restriction.nanolet.dev/a", "2")))
                .containsExactly("node-restriction.nanolet.dev/a", "node-restriction.nanolet.dev/z");
    }
}
