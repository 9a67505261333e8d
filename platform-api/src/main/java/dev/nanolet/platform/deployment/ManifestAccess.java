package dev.nanolet.platform.deployment;

import dev.nanolet.platform.ForbiddenException;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.Role;
import java.util.List;

/** Each document of a manifest needs {@code role} in its namespace; else 403 naming the first that lacks it. */
final class ManifestAccess {
    private ManifestAccess() {}

    /** @param consequence appended to the refusal, e.g. {@code ", so nothing was applied"} */
    static Caller require(Caller caller, List<ManifestDocuments.Manifest> manifests, Role role, String consequence) {
        for (ManifestDocuments.Manifest m : manifests) {
            if (!caller.has(role, m.namespace())) {
                throw new ForbiddenException(m.describe() + " needs role " + role + " in namespace " + m.namespace()
                        + "; token " + caller.name() + " does not have it" + consequence);
            }
        }
        return caller;
    }
}
