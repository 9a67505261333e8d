package dev.nanolet.platform.deployment;

import dev.nanolet.platform.BadRequestException;
import java.util.Map;

/** The {@code prune} and {@code selector} parameters of apply and diff (a prune's audit entries: {@link ObjectAudit}). */
final class PruneOptions {
    private PruneOptions() {}

    /** The selector when {@code prune} is asked for, else null; 400 for a prune without a selector or with atomic. */
    static Map<String, String> selector(boolean prune, String selector, boolean atomic) {
        if (!prune) {
            if (selector != null) {
                throw new BadRequestException("selector: only with prune=true");
            }
            return null;
        }
        if (selector == null || selector.isBlank()) {
            throw new BadRequestException("prune: needs selector=key=value[,key=value]: prune deletes only what it selects");
        }
        if (atomic) {
            throw new BadRequestException("prune: not with atomic=true (atomic cannot bring pruned deployments back)");
        }
        return Labels.selector(selector);
    }
}
