package dev.nanolet.packaging;

import static dev.nanolet.packaging.Chart.container;
import static dev.nanolet.packaging.Chart.env;
import static dev.nanolet.packaging.Chart.find;
import static dev.nanolet.packaging.Chart.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart wires who may call the kubelet API: by default the cluster CA (ConfigMap kube-root-ca.crt,
 * which kubeadm's API server kubelet-client certificate chains to) mounted where NANOLET_KUBELET_CLIENT_CA
 * points; allowed names and a token Secret when set; nothing when turned off.
 */
class ChartKubeletClientsTest {

    private static Volume volume(List<HasMetadata> items, String name) {
        return find(items, StatefulSet.class, "-node").orElseThrow().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    @Test
    void byDefaultTheClusterCaIsMountedWhereTheAgentReadsItsClientCa() {
        List<HasMetadata> items = render(Map.of());
        Container agent = container(items, "node-agent");

        String caFile = env(agent, "NANOLET_KUBELET_CLIENT_CA").orElseThrow();
        Volume ca = volume(items, "kubelet-client-ca");
        assertThat(ca.getConfigMap().getName()).isEqualTo("kube-root-ca.crt");
        assertThat(ca.getConfigMap().getItems()).singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo("ca.crt");
            String mountPath = agent.getVolumeMounts().stream().filter(m -> m.getName().equals("kubelet-client-ca"))
                    .findFirst().orElseThrow().getMountPath();
            assertThat(mountPath + "/" + item.getPath()).isEqualTo(caFile);
        });
        assertThat(env(agent, "NANOLET_KUBELET_TOKEN")).isEmpty();
        assertThat(env(agent, "NANOLET_KUBELET_CLIENT_NAMES")).isEmpty();
    }

    @Test
    void allowedNamesAndATokenSecretAreWired() {
        List<HasMetadata> items = render(Map.of(
                "nodeAgents.kubeletClientNames[0]", "kube-apiserver-kubelet-client",
                "nodeAgents.kubeletClientNames[1]", "metrics",
                "nodeAgents.kubeletTokenSecret", "kubelet-token",
                "nodeAgents.kubeletClientCa.configMap", "my-ca",
                "nodeAgents.kubeletClientCa.key", "bundle.pem"));
        Container agent = container(items, "node-agent");

        assertThat(env(agent, "NANOLET_KUBELET_CLIENT_NAMES")).contains("kube-apiserver-kubelet-client,metrics");
        assertThat(agent.getEnv()).filteredOn(e -> e.getName().equals("NANOLET_KUBELET_TOKEN")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("kubelet-token");
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
                });
        assertThat(volume(items, "kubelet-client-ca").getConfigMap().getItems().getFirst().getKey()).isEqualTo("bundle.pem");
        assertThat(volume(items, "kubelet-client-ca").getConfigMap().getName()).isEqualTo("my-ca");
    }

    @Test
    void anEmptyConfigMapTurnsClientCertificatesOff() {
        List<HasMetadata> items = render(Map.of("nodeAgents.kubeletClientCa.configMap", ""));
        Container agent = container(items, "node-agent");

        assertThat(env(agent, "NANOLET_KUBELET_CLIENT_CA")).isEmpty();
        assertThat(agent.getVolumeMounts()).noneMatch(m -> m.getName().equals("kubelet-client-ca"));
    }

    @Test
    void theSchemaRefusesANameListWithCommas() {
        assertThatThrownBy(() -> render(Map.of("nodeAgents.kubeletClientNames[0]", "a,b")))
                .hasMessageContaining("kubeletClientNames/0").hasMessageNotContaining("want array");
    }
}
