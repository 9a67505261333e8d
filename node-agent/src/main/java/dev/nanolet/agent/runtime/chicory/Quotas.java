package dev.nanolet.agent.runtime.chicory;

import dev.nanolet.agent.runtime.DiskQuota;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The disk quota of each preopened directory's tree, by the tree's host root. */
final class Quotas {

    private final Map<Path, DiskQuota> byRoot = new HashMap<>();

    void put(Path root, DiskQuota quota) {
        byRoot.put(root, quota);
    }

    DiskQuota of(Path root) {
        return byRoot.getOrDefault(root, DiskQuota.NONE);
    }

    /**
     * Takes {@code bytes} from the quota of the tree under {@code root}, or fails with {@code EDQUOT}; answers the
     * ticket that gives them back ({@link DiskQuota#refund}).
     */
    long charge(Path root, long bytes) throws Errno.Failure {
        long ticket = of(root).take(bytes);
        if (ticket < 0) {
            throw new Errno.Failure(Errno.DQUOT);
        }
        return ticket;
    }

    /** A new file, directory or link under {@code root}. */
    void chargeEntry(Path root) throws Errno.Failure {
        charge(root, DiskQuota.ENTRY_BYTES);
    }
}
