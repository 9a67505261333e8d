package dev.nanolet.packaging;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json turns a wrong value into an error before anything is rendered. */
class ChartSchemaTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(Map.of("platformApi.replicas", 0), "replicas"),
                Arguments.of(Map.of("nodeAgents.controlPlane", "docker"), "controlPlane"),
                Arguments.of(Map.of("nodeAgents.kubeletPort", 70000), "kubeletPort"),
                Arguments.of(Map.of("image.pullPolicy", "Sometimes"), "pullPolicy"),
                Arguments.of(Map.of("platformApi.replica", 2), "replica"),
                Arguments.of(Map.of("platformApi.leaseDuration", "soon"), "leaseDuration"),
                Arguments.of(Map.of("nodeAgents.resources.limits.memory", "lots"), "memory"),
                Arguments.of(Map.of("postgresql.enabled", false), "url"),
                Arguments.of(Map.of("externalDatabase.url", "postgres://db/nanolet"), "url"),
                Arguments.of(Map.of("adminUi.trustedProxies[0]", "ingress-nginx"), "/adminUi/trustedProxies/0': 'ingress-nginx' does not match pattern"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void rejects(Map<String, Object> values, String named) {
        assertThatThrownBy(() -> Chart.template(values))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }
}
