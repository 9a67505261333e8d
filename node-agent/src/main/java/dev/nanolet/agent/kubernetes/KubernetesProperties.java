package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The virtual kubelet ({@code nanolet.kubernetes.*}); the API server comes from {@code KUBECONFIG}
 * or the in-cluster service account (fabric8's auto-configuration).
 *
 * @param nodeIp the node's InternalIP, and every pod's podIP and hostIP ({@code NANOLET_NODE_IP})
 * @param kubeletPort the kubelet API's TLS port, {@code daemonEndpoints.kubeletEndpoint} ({@code NANOLET_KUBELET_PORT})
 * @param kubeletTlsCert PEM certificate of the kubelet API ({@code NANOLET_KUBELET_TLS_CERT}); unset: self-signed at start
 * @param kubeletTlsKey PEM private key of that certificate ({@code NANOLET_KUBELET_TLS_KEY})
 * @param kubeletClientCa PEM CA bundle that client certificates of the kubelet API must chain to, as a kubelet's
 *        {@code --client-ca-file} (the CA of the API server's kubelet-client certificate) ({@code NANOLET_KUBELET_CLIENT_CA})
 * @param kubeletClientNames if not empty, the subject common names a client certificate may have ({@code NANOLET_KUBELET_CLIENT_NAMES})
 * @param kubeletToken a bearer token the kubelet API also accepts ({@code NANOLET_KUBELET_TOKEN}); with neither this nor a
 *        client CA every request is refused
 * @param leaseDuration the node Lease's duration; it is renewed at a quarter of it ({@code NANOLET_NODE_LEASE_DURATION})
 * @param resync how often every pod is looked at again even without a change (config map values, retries)
 * @param insecureRegistries registries pulled from over plain HTTP besides loopback ones ({@code NANOLET_INSECURE_REGISTRIES})
 * @param pullTimeout how long one pull's exchange with the registry (manifest and Wasm layer) may take; then the pull fails
 *        as unreachable and is tried again after a back-off ({@code NANOLET_PULL_TIMEOUT})
 * A port outside 1–65535, a lease duration or resync below a second (the Lease counts whole seconds; fabric8 resyncs no
 * faster than each second, and not at all at 0) or a pull timeout below a millisecond is refused at start, naming the
 * setting, its value and the bound: each failed only later, when the node advertised port 0, renewed a Lease of 0 s,
 * never resynced, or failed every pull at once.
 */
@ConfigurationProperties("nanolet.kubernetes")
public record KubernetesProperties(
        String nodeIp,
        @DefaultValue("10250") int kubeletPort,
        Path kubeletTlsCert,
        Path kubeletTlsKey,
        Path kubeletClientCa,
        Set<String> kubeletClientNames,
        String kubeletToken,
        @DefaultValue("40s") Duration leaseDuration,
        @DefaultValue("60s") Duration resync,
        Set<String> insecureRegistries,
        @DefaultValue("5m") Duration pullTimeout) {

    public KubernetesProperties {
        nodeIp = nodeIp == null || nodeIp.isBlank() ? "127.0.0.1" : nodeIp.trim();
        insecureRegistries = insecureRegistries == null ? Set.of() : Set.copyOf(insecureRegistries);
        kubeletTlsCert = unset(kubeletTlsCert);
        kubeletTlsKey = unset(kubeletTlsKey);
        kubeletClientCa = unset(kubeletClientCa);
        kubeletClientNames = kubeletClientNames == null ? Set.of() : Set.copyOf(kubeletClientNames);
        kubeletToken = kubeletToken == null || kubeletToken.isBlank() ? null : kubeletToken.trim();
        Setting.of("nanolet.kubernetes.kubelet-port", "NANOLET_KUBELET_PORT").between(1, 65535, kubeletPort);
        Setting.of("nanolet.kubernetes.lease-duration", "NANOLET_NODE_LEASE_DURATION").atLeast(Duration.ofSeconds(1), leaseDuration);
        Setting.of("nanolet.kubernetes.resync").atLeast(Duration.ofSeconds(1), resync);
        Setting.of("nanolet.kubernetes.pull-timeout", "NANOLET_PULL_TIMEOUT").atLeast(Duration.ofMillis(1), pullTimeout);
        if ((kubeletTlsCert == null) != (kubeletTlsKey == null)) {
            throw new IllegalArgumentException("set both NANOLET_KUBELET_TLS_CERT and NANOLET_KUBELET_TLS_KEY, or neither");
        }
    }

    /** An empty {@code NANOLET_KUBELET_TLS_*} binds as the empty path: unset. */
    private static Path unset(Path p) {
        return p == null || p.toString().isBlank() ? null : p;
    }

    /** The Lease is renewed at a quarter of its duration, as the kubelet does. */
    public Duration leaseRenewInterval() {
        return leaseDuration.dividedBy(4);
    }

    /** Without the kubelet token's value. */
    @Override
    public String toString() {
        return "KubernetesProperties[nodeIp=" + nodeIp + ", kubeletPort=" + kubeletPort + ", kubeletClientCa=" + kubeletClientCa
                + ", kubeletClientNames=" + kubeletClientNames + ", kubeletToken=" + (kubeletToken == null ? "none" : "(set)") + "]";
    }
}
