package dev.nanolet.agent.runtime.chicory;

import dev.nanolet.agent.runtime.DiskQuota;
import java.io.IOException;
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

    /**
     * Charges {@code bytes} ({@link #charge}) for the entry {@code make} puts under {@code root}, and gives them back
     * ({@link DiskQuota#refund}) when the host refuses to make it: another guest of the quota may have made one at its
     * path since it was found free, and the charge for an entry never made counted too much until the next check.
     */
    void make(Path root, long bytes, OpenedFile.IoStep make) throws Errno.Failure, IOException {
        long ticket = charge(root, bytes);
        try {
            make.run();
        } catch (IOException | RuntimeException e) {
            of(root).refund(bytes, ticket);
            throw e;
        }
    }

    /** A new file, directory or symlink under {@code root}, made by {@code make} ({@link #make}). */
    void makeEntry(Path root, OpenedFile.IoStep make) throws Errno.Failure, IOException {
        make(root, DiskQuota.ENTRY_BYTES, make);
    }
}
