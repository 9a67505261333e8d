package dev.nanolet.platform.module;

import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.ModuleInfo;
import dev.nanolet.wire.Role;

/**
 * What a caller may see of a module's {@code usedBy}: the deployments of namespaces it may read
 * (role viewer there, or cluster-wide; the admin sees all). The module itself stays visible to every
 * token (modules are content-addressed and shared); only other namespaces' deployment names are left out.
 */
final class UsedBy {
    private UsedBy() {}

    static ModuleInfo seenBy(Caller caller, ModuleInfo module) {
        return new ModuleInfo(module.digest(), module.size(), module.name(), module.imports(), module.exports(), module.wasi(),
                module.createdAt(), module.usedBy().stream().filter(ref -> caller.has(Role.viewer, namespace(ref))).toList(),
                module.source(), module.sourceDigest());
    }

    /** The namespace of a {@code namespace/name} reference (namespaces hold no {@code /}). */
    private static String namespace(String ref) {
        return ref.substring(0, ref.indexOf('/'));
    }
}
