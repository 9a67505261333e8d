package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.Grant;
import dev.nanolet.wire.Role;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The role matrix of docs/api.md, row by row, for a token with one grant. */
class ApiAccessTest {

    static Caller token(String role, String namespace) {
        return new Caller.Token(UUID.randomUUID(), "t", List.of(new Grant(Role.valueOf(role), namespace.isEmpty() ? null : namespace)), null);
    }

    @ParameterizedTest(name = "{2} {3} as {0}@{1} → {4}")
    @CsvSource({
        // role, namespace ('' = cluster-wide), method, path, allowed
        "viewer,   ci, GET,    /api/v1/namespaces/ci/deployments/web,          true",
        "viewer,   ci, PUT,    /api/v1/namespaces/ci/deployments/web,          false",
        "viewer,   ci, GET,    /api/v1/namespaces/prod/deployments/web,        false",
        "deployer, ci, PUT,    /api/v1/namespaces/ci/deployments/web,          true",
        "deployer, ci, POST,   /api/v1/namespaces/ci/deployments/web/rollback, true",
        "deployer, ci, DELETE, /api/v1/namespaces/ci/deployments/web,          true",
        "deployer, ci, PUT,    /api/v1/namespaces/prod/deployments/web,        false",
        "deployer, ci, GET,    /api/v1/deployments,                            false",
        "deployer, ci, GET,    /api/v1/nodes,                                  false",
        "deployer, ci, GET,    /api/v1/events,                                 false",
        "deployer, ci, POST,   /api/v1/modules,                                true",
        "viewer,   ci, POST,   /api/v1/modules,                                false",
        "viewer,   ci, GET,    /api/v1/modules/sha256:ab,                      true",
        "deployer, ci, DELETE, /api/v1/modules/sha256:ab,                      false",
        "deployer, ci, POST,   /api/v1/tokens,                                 false",
        "admin,    ci, POST,   /api/v1/tokens,                                 true",
        "admin,    ci, GET,    /api/v1/audit,                                  true",
        "viewer,   ci, GET,    /api/v1/tokens/self,                            true",
        "viewer,   ci, GET,    /api/v1/tokens,                                 false",
        "viewer,   ci, DELETE, /api/v1/tokens/self,                            false",
        // revoking: any token may ask (it may always revoke itself); TokenApi answers 404 for one it does not manage
        "viewer,   ci, DELETE, /api/v1/tokens/8d8ac610-566d-4ef0-9c22-186ced9ec9c5, true",
        "viewer,   ci, DELETE, /api/v1/tokens,                                 false",
        "viewer,   ci, DELETE, /api/v1/tokens/,                                false",
        "viewer,   ci, DELETE, /api/v1/tokens/8d8ac610-566d-4ef0-9c22-186ced9ec9c5/x, false",
        "viewer,   ci, GET,    /api/v1/tokens/8d8ac610-566d-4ef0-9c22-186ced9ec9c5, false",
        "viewer,   ci, PUT,    /api/v1/tokens/8d8ac610-566d-4ef0-9c22-186ced9ec9c5, false",
        "viewer,   ci, POST,   /api/v1/tokens/8d8ac610-566d-4ef0-9c22-186ced9ec9c5, false",
        "deployer, ci, GET,    /api/v1/audit,                                  false",
        "deployer, ci, POST,   /api/v1/apply,                                  true",
        "viewer,   ci, POST,   /api/v1/apply,                                  false",
        "viewer,   ci, POST,   /api/v1/diff,                                   true",
        "viewer,   '', GET,    /api/v1/nodes/n1,                               true",
        "viewer,   '', GET,    /api/v1/deployments,                            true",
        "viewer,   '', GET,    /api/v1/evictions,                              true",
        "deployer, ci, GET,    /api/v1/evictions,                              false",
        "viewer,   '', PUT,    /api/v1/namespaces/ci/deployments/web,          false",
        "admin,    ci, DELETE, /api/v1/nodes/n1,                               false",
        "admin,    '', DELETE, /api/v1/nodes/n1,                               true",
        "admin,    '', PUT,    /api/v1/nodes/n1/address,                       true",
        // the node protocol is never an API token's, not even a cluster admin's
        "admin,    '', POST,   /api/v1/nodes,                                  false",
        "admin,    '', PUT,    /api/v1/nodes/n1/lease,                         false",
        "admin,    '', GET,    /api/v1/nodes/n1/assignments,                   false",
        "admin,    '', PUT,    /api/v1/nodes/n1/replicas/x/status,             false",
        "admin,    '', POST,   /api/v1/nodes/n1/replicas/x/events,             false",
        "admin,    '', GET,    /api/v1/anything-new,                           true",
        "deployer, '', GET,    /api/v1/anything-new,                           false",
    })
    void matrix(String role, String namespace, String method, String path, boolean allowed) {
        String refusal = ApiAccess.refusal(token(role, namespace), method, path);
        assertThat(refusal == null).as(refusal).isEqualTo(allowed);
    }

    @org.junit.jupiter.api.Test
    void aRefusalNamesTheRoleAndNamespaceNeeded() {
        assertThat(ApiAccess.refusal(token("deployer", "ci"), "PUT", "/api/v1/namespaces/prod/deployments/web"))
                .contains("needs role deployer in namespace prod").contains("has deployer in namespace ci");
    }
}
