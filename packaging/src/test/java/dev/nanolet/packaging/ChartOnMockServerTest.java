package dev.nanolet.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest the chart renders, for every value combination, is accepted by fabric8's typed
 * model and created on its CRUD mock API server, and reads back as what was sent.
 */
@EnableKubernetesMockClient(crud = true)
class ChartOnMockServerTest {
    static KubernetesClient client;

    static Stream<Arguments> combinations() {
        return Chart.COMBINATIONS.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void everyManifestIsCreated(String name, Map<String, Object> values) {
        List<HasMetadata> items = Chart.render(values);
        assertThat(items).isNotEmpty();
        try {
            for (HasMetadata item : items) {
                HasMetadata created = resource(item).create();

                assertThat(created.getKind()).isEqualTo(item.getKind());
                assertThat(resource(item).get()).as(item.getKind() + " " + item.getMetadata().getName()).isNotNull()
                        .satisfies(read -> assertThat(read.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", Chart.RELEASE));
            }
        } finally {
            items.forEach(i -> resource(i).delete());
        }
    }

    private static io.fabric8.kubernetes.client.dsl.Resource<HasMetadata> resource(HasMetadata item) {
        return item instanceof Namespaced ? client.resource(item).inNamespace(Chart.NAMESPACE) : client.resource(item);
    }
}
