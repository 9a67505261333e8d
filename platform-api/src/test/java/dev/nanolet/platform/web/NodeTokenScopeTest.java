package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeTokenScopeTest {
    @ParameterizedTest
    @CsvSource({
        "POST, /api/v1/nodes, true",
        "GET, /api/v1/nodes, false",
        "GET, /api/v1/nodes/n1, false",
        "PUT, /api/v1/nodes/n1, false",
        "PUT, /api/v1/nodes/n1/lease, true",
        "GET, /api/v1/nodes/n1/assignments, true",
        "PUT, /api/v1/nodes/n1/replicas/abc/status, true",
        "POST, /api/v1/nodes/n1/replicas/abc/events, true",
        "POST, /api/v1/nodes/n1/status-reports, true",
        "GET, /api/v1/nodes/n1/status-reports, false",
        "POST, /api/v1/nodes/n2/status-reports, false",
        "GET, /api/v1/nodes//lease, false",
        "PUT, /api/v1/nodes//lease, false",
        "GET, /api/v1/nodes/n1/lease, false",
        "GET, /api/v1/nodes/n1/replicas, false",
        "GET, /api/v1/nodes/n1/other, false",
        "GET, /api/v1/nodes/n1/replicas/abc/status, false",
        "PUT, /api/v1/nodes/n1/replicas//status, false",
        "PUT, /api/v1/nodes/n1/replicas/abc/other, false",
        "PUT, /api/v1/nodes/n1/replicas/abc/status/x, false",
        "GET, /api/v1/routes, true",
        "POST, /api/v1/routes, false",
        "GET, /api/v1/modules/sha256:ab/content, true",
        "DELETE, /api/v1/modules/sha256:ab/content, false",
        "GET, /api/v1/modules/sha256:ab, false",
        "GET, /api/v1/modules, false",
        "POST, /api/v1/modules, false",
        "GET, /api/v1/deployments, false",
        "GET, /api/v1/events, false",
        "GET, /api/v2/routes, false",
        "GET, /api/v1/routes/x, false",
        "PUT, /api/v1/nodes/n2/lease, false",
        "GET, /api/v1/nodes/n2/assignments, false",
        "PUT, /api/v1/nodes/n2/replicas/abc/status, false",
        "POST, /api/v1/nodes/n2/replicas/abc/events, false",
        "PUT, /api/v1/nodes/n1/address, false",
        "DELETE, /api/v1/nodes/n1, false",
    })
    void allowsOnlyTheNodeProtocolForItsOwnNode(String method, String path, boolean allowed) {
        assertThat(NodeTokenScope.allows(method, path, "n1")).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({
        "POST, /api/v1/nodes, true",
        "PUT, /api/v1/nodes/n1/lease, false",
        "GET, /api/v1/nodes/n1/assignments, false",
        "GET, /api/v1/routes, false",
        "GET, /api/v1/modules/sha256:ab/content, false",
    })
    void theBootstrapTokenOnlyRegisters(String method, String path, boolean allowed) {
        assertThat(NodeTokenScope.bootstrapAllows(method, path)).isEqualTo(allowed);
    }
}
