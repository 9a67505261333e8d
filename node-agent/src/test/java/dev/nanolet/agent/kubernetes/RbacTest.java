package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Rbac} names a request as the API server's authorizer does (its RequestInfo): what ApiServerPermissionsTest
 * compares with the chart's rules.
 */
class RbacTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET /api/v1/nodes/n1                                                        | nodes get",
        "PATCH /api/v1/nodes/n1/status []                                             | nodes/status patch",
        "PUT /api/v1/nodes/n1 {}                                                     | nodes update",
        "POST /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases {}     | coordination.k8s.io/leases create",
        "GET /api/v1/pods?resourceVersion=0                                         | pods list",
        "GET /api/v1/pods?allowWatchBookmarks=true&watch=true                        | pods watch",
        "GET /api/v1/namespaces/default/pods/web?watch=true                          | pods get",
        "DELETE /api/v1/namespaces/default/pods {}                                   | pods deletecollection",
        "DELETE /api/v1/namespaces/default/pods/web {}                               | pods delete",
        "GET /api/v1/namespaces/default                                              | namespaces get",
        "GET /version                                                                | /version get",
        "GET /apis/coordination.k8s.io/v1                                           | /apis/coordination.k8s.io/v1 get",
    })
    void namesARequestAsTheAuthorizerDoes(String request, String named) {
        assertThat(Rbac.of(request.strip())).isEqualTo(named);
    }
}
