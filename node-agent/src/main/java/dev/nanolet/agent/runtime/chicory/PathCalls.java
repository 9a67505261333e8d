package dev.nanolet.agent.runtime.chicory;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.dylibso.chicory.runtime.Memory;
import dev.nanolet.agent.runtime.DiskQuota;
import dev.nanolet.agent.runtime.chicory.GuestFd.Dir;
import dev.nanolet.agent.runtime.chicory.GuestFd.FdFlags;
import dev.nanolet.agent.runtime.chicory.GuestFd.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code path_*} calls. Every path goes through {@link SandboxPath} under its directory
 * descriptor, and every host call uses the resolved path with its last component not followed, so
 * no guest path reaches outside the directory it is relative to.
 */
final class PathCalls {

    static final int LOOKUP_SYMLINK_FOLLOW = 1;
    private static final int O_CREAT = 1;
    private static final int O_DIRECTORY = 1 << 1;
    private static final int O_EXCL = 1 << 2;
    private static final int O_TRUNC = 1 << 3;

    private final FdTable fds;
    private final FileTimes times;
    private final OpenFiles.Tenant files;
    private final Quotas quotas;

    PathCalls(FdTable fds, FileTimes times, OpenFiles.Tenant files, Quotas quotas) {
        this.fds = fds;
        this.times = times;
        this.files = files;
        this.quotas = quotas;
    }

    private SandboxPath resolve(int fd, long right, String path, boolean follow) throws Errno.Failure {
        Dir dir = fds.dir(fd);
        Rights.require(dir.base(), right);
        return SandboxPath.resolve(dir.root(), dir.names(), path, follow);
    }

    void createDirectory(int fd, String path) throws Errno.Failure, IOException {
        SandboxPath p = resolve(fd, Rights.PATH_CREATE_DIRECTORY, path, false);
        if (p.exists()) {
            throw new Errno.Failure(Errno.EXIST);
        }
        quotas.makeEntry(p.base(), () -> Files.createDirectory(p.host()));
    }

    void filestat(Memory memory, int fd, int flags, String path, int buf) throws Errno.Failure {
        SandboxPath p = resolve(fd, Rights.PATH_FILESTAT_GET, path, follows(flags));
        existing(p);
        FileStat.write(memory, buf, p.host(), -1);
    }

    void setTimes(int fd, int flags, String path, long atim, long mtim, int fstFlags) throws Errno.Failure, IOException {
        SandboxPath p = resolve(fd, Rights.PATH_FILESTAT_SET_TIMES, path, follows(flags));
        existing(p);
        times.set(p.host(), atim, mtim, fstFlags, false);
    }

    /** As wasmtime: the source is never followed (SYMLINK_FOLLOW is EINVAL), a directory cannot be linked (EPERM). */
    void link(int oldFd, int oldFlags, String oldPath, int newFd, String newPath) throws Errno.Failure, IOException {
        SandboxPath from = resolve(oldFd, Rights.PATH_LINK_SOURCE, oldPath, false);
        SandboxPath to = resolve(newFd, Rights.PATH_LINK_TARGET, newPath, false);
        if (follows(oldFlags)) {
            throw new Errno.Failure(Errno.INVAL);
        }
        existing(from);
        sameQuota(from, to);
        if (from.isDirectory()) {
            throw new Errno.Failure(Errno.PERM);
        }
        if (to.exists()) {
            throw new Errno.Failure(Errno.EXIST);
        }
        if (to.trailingSlash()) {
            throw new Errno.Failure(Errno.NOENT);
        }
        // the volume check counts a file's bytes once per link, so a link costs what the file holds; made within a
        // step, so that no delete falls between a count of the file's links and the delete (givesBack)
        try (var step = quotas.of(to.base()).changing()) {
            quotas.make(to.base(), DiskQuota.entry(from.attributes()), () -> Files.createLink(to.host(), from.host()));
        }
    }

    /**
     * Opens a regular file or a directory, nothing else: a FIFO, socket or device (which only an operator's
     * {@code --dir} can hold: no guest can make one) is {@code ENOTSUP}. wasmtime opens a FIFO, and its open blocks
     * until another process opens the other end, which no deadline interrupts; here it would block within the step
     * an open takes on its quota, and an {@code O_TRUNC} one within the give-back, so that every write and delete of
     * the quota's runs waited with it. The file's type is read within that step, right before the open
     * ({@link OpenedFile}), where no guest of the quota can rename anything (a rename is a give-back); without a
     * quota nothing locks, which only {@code node-agent run}'s one run has, and it cannot race itself.
     */
    int open(int fd, int lookup, String path, int oflags, long base, long inheriting, int fdflags)
            throws Errno.Failure, IOException {
        Dir dir = fds.dir(fd);
        Rights.require(dir.base(), Rights.PATH_OPEN | ((oflags & O_CREAT) != 0 ? Rights.PATH_CREATE_FILE : 0)
                | ((oflags & O_TRUNC) != 0 ? Rights.PATH_FILESTAT_SET_SIZE : 0));
        base &= dir.inheriting();
        inheriting &= dir.inheriting();
        boolean create = (oflags & O_CREAT) != 0;
        boolean exclusive = create && (oflags & O_EXCL) != 0;
        if (create && (oflags & O_DIRECTORY) != 0) {
            throw new Errno.Failure(Errno.INVAL);
        }
        fds.requireRoom(); // before a file is made or opened
        SandboxPath p = SandboxPath.resolve(dir.root(), dir.names(), path, follows(lookup) && !exclusive);
        if (exclusive && p.exists()) {
            throw new Errno.Failure(Errno.EXIST);
        }
        if (p.isSymlink()) {
            throw new Errno.Failure((oflags & O_DIRECTORY) != 0 ? Errno.NOTDIR : Errno.LOOP);
        }
        if (p.isDirectory()) {
            if ((base & Rights.FD_WRITE) != 0 || (oflags & O_TRUNC) != 0) {
                throw new Errno.Failure(Errno.ISDIR);
            }
            return fds.add(new Dir(p.base(), p.names(), null, base & Rights.DIRECTORY, inheriting));
        }
        if ((oflags & O_DIRECTORY) != 0) {
            throw new Errno.Failure(p.exists() ? Errno.NOTDIR : Errno.NOENT);
        }
        if (!p.exists() && (!create || p.trailingSlash())) {
            throw new Errno.Failure(create ? Errno.ISDIR : Errno.NOENT);
        }
        files.acquire(); // before a file is made: an open the node refuses leaves nothing behind
        DiskQuota quota = quotas.of(p.base());
        OpenedFile opened;
        Runnable held;
        // an O_TRUNC open gives back what it cuts; any other holds its file before an unlink can find it not held
        try (var step = (oflags & O_TRUNC) != 0 ? quota.freeing() : quota.changing()) {
            try {
                if (!p.exists()) {
                    create(p, exclusive);
                }
                opened = OpenedFile.open(p.host(), options(base, oflags, fdflags), quota.holds());
            } catch (Errno.Failure | IOException | RuntimeException e) {
                files.release();
                throw e;
            }
            quota.freed(opened.truncated());
            held = quota.hold(opened.key(), opened.channel()::size);
        }
        FileChannel channel = opened.channel();
        return fds.add(new File(p, channel, held, files::release, fdflags & ~FdFlags.NONBLOCK, base & Rights.FILE, inheriting));
    }

    private void create(SandboxPath p, boolean exclusive) throws Errno.Failure, IOException {
        try {
            quotas.makeEntry(p.base(), () -> Files.createFile(p.host()));
        } catch (FileAlreadyExistsException raced) { // another guest's, charged to it
            if (exclusive) {
                throw raced;
            }
        }
    }

    int readlink(Memory memory, int fd, String path, int buf, int len) throws Errno.Failure, IOException {
        SandboxPath p = resolve(fd, Rights.PATH_READLINK, path, false);
        existing(p);
        if (!p.isSymlink()) {
            throw new Errno.Failure(Errno.INVAL);
        }
        byte[] target = Files.readSymbolicLink(p.host()).toString().getBytes(UTF_8);
        int used = Math.min(target.length, len);
        memory.write(buf, target, 0, used);
        return used;
    }

    void removeDirectory(int fd, String path) throws Errno.Failure, IOException {
        SandboxPath p = resolve(fd, Rights.PATH_REMOVE_DIRECTORY, path, false);
        existing(p);
        if (p.isBase()) {
            throw new Errno.Failure(Errno.INVAL);
        }
        if (!p.isDirectory()) {
            throw new Errno.Failure(Errno.NOTDIR);
        }
        DiskQuota quota = quotas.of(p.base());
        try (var freeing = quota.freeing()) {
            Files.delete(p.host());
            quota.freed(DiskQuota.ENTRY_BYTES);
        }
    }

    /** rename(2) semantics: replaces a file or an empty directory; trailing slashes only on directories. */
    void rename(int oldFd, String oldPath, int newFd, String newPath) throws Errno.Failure, IOException {
        SandboxPath from = resolve(oldFd, Rights.PATH_RENAME_SOURCE, oldPath, false);
        SandboxPath to = resolve(newFd, Rights.PATH_RENAME_TARGET, newPath, false);
        existing(from);
        sameQuota(from, to);
        if (from.isBase() || to.isBase()) {
            throw new Errno.Failure(Errno.INVAL);
        }
        if (!from.isDirectory() && to.trailingSlash()) {
            throw new Errno.Failure(Errno.NOTDIR);
        }
        if (to.exists() && from.isDirectory() != to.isDirectory()) {
            throw new Errno.Failure(from.isDirectory() ? Errno.NOTDIR : Errno.ISDIR);
        }
        if (from.host().equals(to.host())) {
            return;
        }
        DiskQuota quota = quotas.of(to.base());
        try (var freeing = quota.freeing()) {
            BasicFileAttributes moving = SandboxPath.lstat(from.host());
            BasicFileAttributes replaced = SandboxPath.lstat(to.host());
            // two links of one file: rename(2) leaves both
            boolean same = moving == null || replaced == null || Objects.equals(replaced.fileKey(), moving.fileKey());
            long freed = same ? 0 : givesBack(quota, to.host(), replaced);
            Files.move(from.host(), to.host(), StandardCopyOption.ATOMIC_MOVE);
            deleted(quota, same ? null : replaced, freed);
        } catch (DirectoryNotEmptyException e) {
            throw new Errno.Failure(Errno.NOTEMPTY);
        }
    }

    /**
     * A rename or link between the trees of two quotas is {@code EXDEV}, as ext4 and XFS answer one into a directory of
     * another project quota, so that a program moves the file by copy and delete, each charged where it lands: moved,
     * its bytes would leave one quota counting them and enter the other uncounted, and a directory would need its whole
     * tree counted again. The node makes no such pair (a replica's volumes share one quota, {@code node-agent run}'s
     * {@code --dir}s share one or none), but each {@code Invocation.Directory} carries its own; so only one quota's
     * lock is ever taken.
     */
    private void sameQuota(SandboxPath from, SandboxPath to) throws Errno.Failure {
        if (quotas.of(from.base()) != quotas.of(to.base())) {
            throw new Errno.Failure(Errno.XDEV);
        }
    }

    /**
     * What deleting the entry at {@code host} ({@code gone}, its attributes) will give back, read before it goes, within
     * {@link DiskQuota#freeing}: what it counted for, but a file's bytes only with its last link, since another link
     * keeps them on disk (a write into a file of two links was charged once, so giving back its bytes with the first
     * link would give back what no charge took, and what the count holds of the dropped link's own count of them depends
     * on the file's writes and cuts since the link or the last check, of which the quota keeps no record per file: it
     * stays counted until the next check); nothing for the last link of a file a run holds open, whose bytes
     * stay on disk (and in the checks) until it is closed ({@link #deleted}), nor where files have no key to tell.
     */
    private static long givesBack(DiskQuota quota, Path host, BasicFileAttributes gone) {
        if (gone.fileKey() == null) {
            return 0;
        }
        if (gone.isRegularFile() && links(host) > 1) {
            return DiskQuota.ENTRY_BYTES;
        }
        return quota.held(gone.fileKey()) ? 0 : DiskQuota.entry(gone);
    }

    /**
     * Once the entry {@code gone} is deleted, gives back {@code freed} ({@link #givesBack}). A file it gave nothing for
     * was the last link of a file a run holds open, whose bytes come back when the last run holding it closes it
     * ({@link DiskQuota#lastLinkGone}), as the checks count them until then.
     */
    private static void deleted(DiskQuota quota, BasicFileAttributes gone, long freed) {
        quota.freed(freed);
        if (gone != null && gone.fileKey() != null && gone.isRegularFile() && freed == 0) {
            quota.lastLinkGone(gone.fileKey());
        }
    }

    /** How many links the file at {@code host} has; as many as can be when that cannot be read. */
    private static int links(Path host) {
        try {
            return ((Number) Files.getAttribute(host, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (IOException | RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The link holds the guest's text; an absolute target could only ever point outside, so it is refused. */
    void symlink(String target, int fd, String path) throws Errno.Failure, IOException {
        SandboxPath p = resolve(fd, Rights.PATH_SYMLINK, path, false);
        if (target.isEmpty()) {
            throw new Errno.Failure(Errno.NOENT);
        }
        if (target.startsWith("/") || target.indexOf('\0') >= 0) {
            throw new Errno.Failure(target.startsWith("/") ? Errno.NOTCAPABLE : Errno.INVAL);
        }
        if (p.exists()) {
            throw new Errno.Failure(Errno.EXIST);
        }
        if (p.trailingSlash()) {
            throw new Errno.Failure(Errno.NOENT);
        }
        quotas.makeEntry(p.base(), () -> Files.createSymbolicLink(p.host(), p.base().getFileSystem().getPath(target)));
    }

    void unlinkFile(int fd, String path) throws Errno.Failure, IOException {
        SandboxPath p = resolve(fd, Rights.PATH_UNLINK_FILE, path, false);
        existing(p);
        if (p.isDirectory()) {
            throw new Errno.Failure(Errno.ISDIR);
        }
        DiskQuota quota = quotas.of(p.base());
        try (var freeing = quota.freeing()) {
            BasicFileAttributes gone = SandboxPath.lstat(p.host()); // as it is now, no step of the replica under way
            long freed = gone == null ? 0 : givesBack(quota, p.host(), gone);
            Files.delete(p.host());
            deleted(quota, gone, freed);
        }
    }

    private static Set<OpenOption> options(long base, int oflags, int fdflags) {
        Set<OpenOption> options = new HashSet<>();
        options.add(LinkOption.NOFOLLOW_LINKS);
        if ((base & Rights.FD_READ) != 0) {
            options.add(StandardOpenOption.READ);
        }
        if ((base & (Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE)) != 0 || (oflags & O_TRUNC) != 0) {
            options.add(StandardOpenOption.WRITE);
        }
        if ((oflags & O_TRUNC) != 0) {
            options.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        if ((fdflags & FdFlags.SYNC) != 0) {
            options.add(StandardOpenOption.SYNC);
        }
        if ((fdflags & FdFlags.DSYNC) != 0) {
            options.add(StandardOpenOption.DSYNC);
        }
        if (!options.contains(StandardOpenOption.WRITE)) {
            options.add(StandardOpenOption.READ);
        }
        return options;
    }

    private static boolean follows(int lookup) {
        return (lookup & LOOKUP_SYMLINK_FOLLOW) != 0;
    }

    private static void existing(SandboxPath p) throws Errno.Failure {
        if (!p.exists()) {
            throw new Errno.Failure(Errno.NOENT);
        }
    }
}
