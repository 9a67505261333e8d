package dev.nanolet.agent.runtime;

/**
 * The disk one replica's volumes may use, all of them together, charged as its guests write: a write,
 * {@code fd_allocate} or {@code fd_filestat_set_size} that would grow a file past it, and a new file,
 * directory or link past it, fails with {@code EDQUOT} (a write is charged in steps of up to 64 KiB, and
 * one that fits in part is short by the step that does not fit). Counted as {@code replica.Volumes} measures: the bytes of files (their size, holes included) plus
 * {@value #ENTRY_BYTES} bytes per entry. Space given back (a file deleted or truncated) counts only
 * once the node measures the volumes again ({@link #measured}), every {@code NANOLET_VOLUMES_CHECK_INTERVAL}.
 */
public final class DiskQuota {

    /** What one file, directory or link counts for, whatever it holds. */
    public static final long ENTRY_BYTES = 4096;

    /** No quota: the command line's {@code --dir} and tests. */
    public static final DiskQuota NONE = new DiskQuota(Long.MAX_VALUE);

    private final long max;
    private long used;
    private long charged;

    /** @param max bytes the volumes may use; {@code Long.MAX_VALUE} for no limit */
    public DiskQuota(long max) {
        if (max <= 0) {
            throw new IllegalArgumentException("a disk quota must be positive, not " + max);
        }
        this.max = max;
    }

    /** Takes {@code bytes} more, or answers false (and takes nothing) when that would pass the quota. */
    public synchronized boolean charge(long bytes) {
        if (max == Long.MAX_VALUE || bytes <= 0) {
            return true;
        }
        if (bytes > max - used) {
            return false;
        }
        used += bytes;
        charged += bytes;
        return true;
    }

    /**
     * Gives back a charge whose bytes the host then refused to write. Only what counts now goes down: a measurement
     * under way adds the charges made since its mark whole, which the next one corrects, so the quota can only
     * count too much for a while, never too little.
     */
    public synchronized void refund(long bytes) {
        if (max != Long.MAX_VALUE && bytes > 0) {
            used -= Math.min(bytes, used);
        }
    }

    /** Taken before the volumes are measured, and given back to {@link #measured} with the result. */
    public synchronized long mark() {
        return charged;
    }

    /** The volumes measured {@code bytes} in a walk begun at {@code mark}: charges since then are added to it. */
    public synchronized void measured(long bytes, long mark) {
        used = bytes + (charged - mark);
    }

    /** Bytes counted now. */
    public synchronized long used() {
        return used;
    }
}
