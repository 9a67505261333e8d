package dev.nanolet.agent.runtime;

import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The disk one replica's volumes may use, all of them together, charged as its guests write: a write,
 * {@code fd_allocate} or {@code fd_filestat_set_size} that would grow a file past it, and a new file,
 * directory or link past it, fails with {@code EDQUOT} (a write is charged in steps of up to 64 KiB, and
 * one that fits in part is short by the step that does not fit). Counted as {@code replica.Volumes} measures: the bytes of files (their size, holes included) plus
 * {@value #ENTRY_BYTES} bytes per entry. Space the guests give back themselves (a file, link or directory deleted,
 * a file truncated) counts at once ({@link #freed}), or from a check that ended meanwhile (too much at worst, until
 * the next one), a file's bytes only with its last link, and those of a file its
 * runs held open when that link went once the last of them closes it ({@link #lastLinkGone}); what leaves otherwise
 * counts once the node measures the volumes again ({@link #measured}), every {@code NANOLET_VOLUMES_CHECK_INTERVAL}.
 *
 * <p>A charge reads a file's size and then writes; a give-back reads what a file holds and then deletes or cuts it.
 * The guests of one replica run at once on the volumes, so a truncation between another guest's size read and its
 * write would give back bytes that write then puts back uncharged. Every step that charges against a size (or
 * holds a file open) runs {@link #changing}, shared, and every give-back {@link #freeing}, alone: writes of the
 * replica stay concurrent with each other (two of them racing to grow one file each charge the growth, which can
 * only count too much until the next check), and a give-back waits for the steps under way, each at most one
 * write of 64 KiB. Without a limit nothing is counted and nothing locks.
 * A file its runs hold open ({@link #hold}) counts as a walk counts it ({@link #file}) even once it is unlinked,
 * which a walk of the volumes no longer finds but whose bytes stay on disk until it is closed ({@link #unlinked}).
 */
public final class DiskQuota {

    /** What one file, directory or link counts for, whatever it holds. */
    public static final long ENTRY_BYTES = 4096;

    /**
     * What one file, directory or link counts for, the one rule of the count: {@value #ENTRY_BYTES} bytes, and a
     * regular file's size (holes included) besides. A link counts its file's bytes again, as a walk finds them twice.
     */
    public static long entry(BasicFileAttributes attrs) {
        return file(attrs.isRegularFile() ? attrs.size() : 0);
    }

    /** What a regular file of {@code size} bytes counts for ({@link #entry}), found by a walk or held open unlinked. */
    public static long file(long size) {
        return ENTRY_BYTES + size;
    }

    /** No quota: the command line's {@code --dir} without {@code --dir-max-bytes}, and tests. */
    public static final DiskQuota NONE = new DiskQuota(Long.MAX_VALUE);

    private final long max;
    private long used;
    private long charged;
    /** The mark of the walk that set {@link #used} last: charges up to it are in the walk's bytes, or not on disk. */
    private long counted;
    /**
     * Whether the last check found the volumes over the limit: its walk stopped there, so the count says only that
     * they hold too much, not how much, and a give-back from it could count less than they hold ({@link #freed}).
     */
    private boolean over;
    /** How many checks have set the count ({@link #measured}). */
    private long checks;
    /** {@link #checks} as the give-back under way began ({@link #freeing}): one that ended since leaves it nothing. */
    private long checksBeforeFreeing;
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    /** Held files whose last link a guest deleted ({@link #lastLinkGone}): given back when the last hold lets go. */
    private final Set<Object> gone = ConcurrentHashMap.newKeySet();
    private final ReentrantReadWriteLock steps = new ReentrantReadWriteLock();

    /** A step under way in {@link #changing} or {@link #freeing}; closing it ends it. */
    public interface Step extends AutoCloseable {
        @Override
        void close();
    }

    /** How large a held file is now. */
    public interface Size {
        long now() throws IOException;
    }

    /** A file a run holds open: the key of the file it opened ({@code BasicFileAttributes.fileKey}) and its size. */
    private static final class Held {
        final Object key;
        final Size size;

        Held(Object key, Size size) {
            this.key = key;
            this.size = size;
        }
    }

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
     * Takes {@code bytes} as {@link #charge} does, answering the ticket {@link #refund} needs, or -1 (taking nothing)
     * when that would pass the quota.
     */
    public synchronized long take(long bytes) {
        return charge(bytes) ? charged : -1;
    }

    /**
     * Gives back a charge ({@link #take}'s ticket) whose bytes the host then refused to write, while the count still
     * holds it: a check whose walk began after the charge set the count from the disk, which never had those bytes,
     * so giving them back then would count too little. A check under way adds the charges made since its mark whole,
     * which the next one corrects, so the quota can only count too much for a while, never too little.
     */
    public synchronized void refund(long bytes, long ticket) {
        if (max != Long.MAX_VALUE && bytes > 0 && ticket > counted) {
            used -= Math.min(bytes, used);
        }
    }

    /**
     * Begins a step that reads a file's size and charges against it, or opens a file this quota holds: shared with
     * other such steps, never under way while a give-back is ({@link #freeing}).
     */
    public Step changing() {
        return begin(steps.readLock());
    }

    /** Begins a give-back: what it reads, deletes or cuts, and {@link #freed}, with no other step under way. */
    public Step freeing() {
        Step step = begin(steps.writeLock());
        if (steps.getWriteHoldCount() == 1) {
            synchronized (this) {
                checksBeforeFreeing = checks;
            }
        }
        return step;
    }

    private Step begin(Lock lock) {
        if (max == Long.MAX_VALUE) {
            return () -> {};
        }
        lock.lock();
        return lock::unlock;
    }

    /**
     * Gives back {@code bytes} a guest deleted or cut within {@link #freeing}, counted as a walk counts them, once they
     * are off the disk. Nothing when a check ended since the give-back began: the check takes no lock of the guests',
     * so its walk may have come after the cut, and its count holds the bytes no more (giving them back then counted
     * less than the volumes hold), or before it, and its count holds them until the next check (too much, never too
     * little). A check under way sets the count from its own walk, which the give-back does not touch. Nothing either
     * while the last check found the volumes over the limit: its walk stopped there, and giving back from that
     * count let a guest delete and write as much again, the volumes staying over the limit for good; the space counts
     * from the first check that finds them under it, as before any give-back.
     */
    public synchronized void freed(long bytes) {
        if (max == Long.MAX_VALUE || bytes <= 0) {
            return;
        }
        if (!steps.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("bytes are given back only within freeing()");
        }
        if (checks == checksBeforeFreeing) {
            lower(bytes);
        }
    }

    private synchronized void lower(long bytes) {
        if (!over) {
            used -= Math.min(bytes, used);
        }
    }

    /** Whether a run holds the file {@code key} open now: its bytes stay on disk, and the walks count them, until closed. */
    public boolean held(Object key) {
        return key != null && held.stream().anyMatch(h -> h.key.equals(key));
    }

    /** Whether {@link #hold} counts an open file: not without a limit. */
    public boolean holds() {
        return max != Long.MAX_VALUE;
    }

    /**
     * Counts the open file {@code key} while it is held; the answer lets it go, run before the file is closed: the last
     * hold of a file whose last link is gone ({@link #lastLinkGone}) gives back what it holds then, its size read as
     * it closes, within {@link #freeing}.
     */
    public Runnable hold(Object key, Size size) {
        if (!holds() || key == null) {
            return () -> {};
        }
        var h = new Held(key, size);
        held.add(h);
        return () -> letGo(h);
    }

    private void letGo(Held h) {
        try (var step = changing()) {
            if (!gone.contains(h.key)) {
                held.remove(h);
                return;
            }
        }
        // given back while still held, as a check that ends meanwhile counts it: let go first, the file was counted
        // by no such check and given back all the same
        try (var step = freeing()) {
            try {
                if (held.stream().noneMatch(other -> other != h && other.key.equals(h.key))) {
                    giveBack(h);
                }
            } finally {
                held.remove(h);
            }
        }
    }

    /** The last hold of {@code h}'s file gives back what it holds, unless no link of it went or a check forgot it. */
    private void giveBack(Held h) {
        long size;
        try {
            size = h.size.now();
        } catch (IOException closed) {
            gone.remove(h.key); // closed already: no size to give back, which counts too much until the next check
            return;
        }
        synchronized (this) { // a file a check forgot (unlinked) is not given back; one given back is before its count
            if (gone.remove(h.key)) {
                lower(file(size)); // before the close takes the bytes off the disk: a check meanwhile counted it held
            }
        }
    }

    /**
     * Within {@link #freeing}, a guest deleted the last link of the file {@code key} a run holds open: its bytes stay
     * on disk, and counted, until the last run holding it closes it, which gives them back ({@link #hold}).
     */
    public void lastLinkGone(Object key) {
        if (!steps.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("a link is deleted only within freeing()");
        }
        if (held(key)) {
            gone.add(key);
        }
    }

    /** The keys of the files held open now, taken before a walk of the volumes, which looks for them. */
    public Set<Object> heldKeys() {
        Set<Object> keys = new HashSet<>();
        held.forEach(h -> keys.add(h.key));
        return keys;
    }

    /**
     * What the files held open before a walk ({@code before}, from {@link #heldKeys}) that it did not find
     * ({@code found}) count for, as the walk would have counted them ({@link #file}): unlinked, so no walk sees them,
     * but on disk until closed. Each file once, however many hold it. A file held only since, whose last link is gone
     * already ({@link #lastLinkGone}), this check counts nowhere (the walk no longer finds it), so its last close gives
     * nothing back: giving back what the check's count never held counted less than the volumes hold.
     */
    public long unlinked(Set<Object> before, Set<Object> found) {
        synchronized (this) {
            gone.removeIf(key -> !before.contains(key));
        }
        Map<Object, Long> sizes = new HashMap<>();
        for (Held h : held) {
            if (before.contains(h.key) && !found.contains(h.key)) {
                try {
                    sizes.put(h.key, file(h.size.now()));
                } catch (IOException closed) {
                    // closed meanwhile: its bytes are gone
                }
            }
        }
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Taken before the volumes are measured, and given back to {@link #measured} with the result. */
    public synchronized long mark() {
        return charged;
    }

    /** The volumes measured {@code bytes} in a walk begun at {@code mark}: charges since then are added to it. */
    public synchronized void measured(long bytes, long mark) {
        used = bytes + (charged - mark);
        counted = mark;
        over = bytes > max;
        checks++;
    }

    /** Bytes counted now. */
    public synchronized long used() {
        return used;
    }
}
