package dev.nanolet.agent.runtime.chicory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * A regular file a run opened and the key ({@code BasicFileAttributes.fileKey}, device and inode) of the file it opened,
 * by which its disk quota holds it. The JDK reads no key nor type from an open channel (no {@code fstat}), so both are
 * read by path, not followed, right before the open, which a FIFO, socket or device there refuses with {@code ENOTSUP}
 * (a FIFO's open would block until its other end opens), and the key again after it: the same key both times is the
 * regular file opened, whatever another request of the replica renames over the path meanwhile. A key that changed around the open is tried again, {@value #TRIES}
 * times, then refused with {@code EAGAIN}, since a file keyed to another would not count once unlinked. What it
 * cannot see is a path put back as it was between the two reads (three renames of the same replica within one open),
 * which at worst leaves one open file uncounted once unlinked, as before any key was read. {@code truncated} is the
 * size an {@code O_TRUNC} open cut from the file, which its quota gives back; 0 when not keyed (no quota to give it to).
 */
record OpenedFile(FileChannel channel, Object key, long truncated) {

    static final int TRIES = 3;

    /**
     * Opens {@code host} (never following its last component) with its key, or fails with {@code EAGAIN}; not
     * {@code keyed} (no quota holds the file by its key), opens it once and answers no key.
     */
    static OpenedFile open(Path host, Set<OpenOption> options, boolean keyed) throws IOException, Errno.Failure {
        return open(host, options, keyed, () -> {});
    }

    /**
     * As {@link #open(Path, Set, boolean)}, with {@code afterOpen} run right after each open (for tests). An
     * open that truncates ({@code TRUNCATE_EXISTING}) truncates only the file it answers, once its key is sure: each
     * open tried again would truncate a file it then lets go.
     */
    static OpenedFile open(Path host, Set<OpenOption> options, boolean keyed, IoStep afterOpen) throws IOException, Errno.Failure {
        if (!keyed) {
            regular(host);
            return new OpenedFile(opened(FileChannel.open(host, options), afterOpen), null, 0);
        }
        boolean truncate = options.contains(StandardOpenOption.TRUNCATE_EXISTING) && options.contains(StandardOpenOption.WRITE);
        Set<OpenOption> opening = new HashSet<>(options);
        opening.remove(StandardOpenOption.TRUNCATE_EXISTING);
        for (int i = 0; i < TRIES; i++) {
            BasicFileAttributes found = regular(host);
            Object before = found == null ? null : found.fileKey();
            FileChannel channel = opened(FileChannel.open(host, opening), afterOpen);
            if (before != null && before.equals(key(host))) {
                long[] cut = {0};
                return new OpenedFile(truncate ? opened(channel, () -> {
                    cut[0] = channel.size();
                    channel.truncate(0);
                }) : channel, before, cut[0]);
            }
            channel.close();
        }
        throw new Errno.Failure(Errno.AGAIN);
    }

    /** The channel once {@code step} ran on it; closed if the step fails. */
    private static FileChannel opened(FileChannel channel, IoStep step) throws IOException {
        try {
            step.run();
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A step that may fail as a host call does. */
    interface IoStep {
        void run() throws IOException;
    }

    /**
     * The attributes of what {@code host} names, not followed: null if nothing, else a regular file, or it fails with
     * {@code ELOOP} (a symlink), {@code EISDIR} or {@code ENOTSUP} (a FIFO, socket or device).
     */
    private static BasicFileAttributes regular(Path host) throws Errno.Failure {
        BasicFileAttributes found = SandboxPath.lstat(host);
        if (found == null || found.isRegularFile()) {
            return found;
        }
        throw new Errno.Failure(found.isSymbolicLink() ? Errno.LOOP : found.isDirectory() ? Errno.ISDIR : Errno.NOTSUP);
    }

    /** The file a path names, as a walk of the volumes sees it; null if it is gone. */
    private static Object key(Path host) {
        try {
            return Files.readAttributes(host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
