package dev.nanolet.ui;

import dev.nanolet.wire.Grant;
import dev.nanolet.wire.Identity;
import dev.nanolet.wire.Role;
import java.util.stream.Collectors;

/**
 * What platform-api's ApiAccess answers an API token, so that the fake refuses a namespace-scoped token exactly what the
 * real one does (docs/api.md's table): a namespace's calls need a role there, cluster-scoped reads a cluster-wide viewer,
 * modules any role, tokens and the audit an admin somewhere (the audit then narrows to the namespace it names), but
 * {@code GET /tokens/self} and {@code DELETE /tokens/{id}} any role (a token may always revoke itself).
 */
final class FakeAccess {
    private FakeAccess() {}

    /** Why {@code token} may not call {@code method path} (within {@code /api/v1}); null when it may. */
    static String refusal(Identity token, String method, String path) {
        String[] s = path.split("/", -1);
        boolean read = method.equals("GET");
        String namespace = null;
        Role role;
        boolean anywhere = false;
        switch (s.length > 3 ? s[3] : "") {
            case "namespaces" -> {
                namespace = s.length > 4 ? s[4] : null;
                role = read ? Role.viewer : Role.deployer;
            }
            case "modules" -> {
                anywhere = read || method.equals("POST") && s.length == 4;
                role = read ? Role.viewer : anywhere ? Role.deployer : Role.admin;
            }
            case "tokens" -> {
                anywhere = true;
                boolean itself = s.length == 5 && (read ? s[4].equals("self")
                        : method.equals("DELETE") && !s[4].isEmpty() && !s[4].equals("self")); // then 404 unless it manages it
                role = itself ? Role.viewer : Role.admin;
            }
            case "audit" -> {
                anywhere = true;
                role = Role.admin;
            }
            default -> role = read ? Role.viewer : Role.admin;
        }
        boolean may = anywhere ? token.mayAnywhere(role) : token.may(role, namespace);
        return may ? null : method + " " + path + " needs role " + role + (anywhere ? " in some namespace"
                : namespace == null ? " cluster-wide" : " in namespace " + namespace) + "; token " + token.name() + " has "
                + token.grants().stream().map(Grant::toString).collect(Collectors.joining(", "));
    }
}
