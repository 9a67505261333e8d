package dev.nanolet.agent.runtime.chicory;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.dylibso.chicory.runtime.Memory;
import dev.nanolet.agent.runtime.DiskQuota;
import dev.nanolet.agent.runtime.chicory.GuestFd.Dir;
import dev.nanolet.agent.runtime.chicory.GuestFd.FdFlags;
import dev.nanolet.agent.runtime.chicory.GuestFd.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code fd_*} calls on files and directories (never stdio, which stays Chicory's). Each
 * checks the descriptor's rights first: a call outside them fails with ENOTCAPABLE.
 */
final class FdCalls {

    private static final int SYNC_FLAGS = FdFlags.SYNC | FdFlags.DSYNC | FdFlags.RSYNC;

    private final FdTable fds;
    private final FileTimes times;
    private final Quotas quotas;

    FdCalls(FdTable fds, FileTimes times, Quotas quotas) {
        this.fds = fds;
        this.times = times;
        this.quotas = quotas;
    }

    File file(int fd, long needed) throws Errno.Failure {
        GuestFd d = fds.get(fd);
        if (d instanceof Dir dir) {
            Rights.require(dir.base(), needed & Rights.DIRECTORY);
            throw new Errno.Failure(Errno.ISDIR);
        }
        File f = (File) d;
        Rights.require(f.base, needed);
        return f;
    }

    void advise(int fd) throws Errno.Failure {
        file(fd, 0);
    }

    /** As Linux's fallocate: a negative offset or a length below 1 is EINVAL, an end past the largest file EFBIG. */
    void allocate(int fd, long offset, long len) throws Errno.Failure, IOException {
        File f = file(fd, Rights.FD_ALLOCATE);
        if (offset < 0 || len <= 0) {
            throw new Errno.Failure(Errno.INVAL);
        }
        if (len > GuestIo.MAX_FILE_SIZE - offset) {
            throw new Errno.Failure(Errno.FBIG);
        }
        grow(f, offset + len);
    }

    void close(int fd) throws Errno.Failure, IOException {
        GuestFd d = fds.get(fd);
        fds.remove(fd);
        if (d instanceof File f) {
            f.close();
        }
    }

    void sync(int fd, boolean metadata) throws Errno.Failure, IOException {
        GuestFd d = fds.get(fd);
        long right = metadata ? Rights.FD_SYNC : Rights.FD_DATASYNC;
        if (d instanceof Dir dir) {
            Rights.require(dir.base(), right);
        } else {
            file(fd, right).channel.force(metadata);
        }
    }

    void fdstat(Memory memory, int fd, int buf) throws Errno.Failure {
        GuestFd d = fds.get(fd);
        memory.writeLong(buf, 0L);
        if (d instanceof Dir dir) {
            memory.writeByte(buf, FileStat.DIRECTORY);
            memory.writeLong(buf + 8, dir.base());
            memory.writeLong(buf + 16, dir.inheriting());
        } else {
            File f = (File) d;
            memory.writeByte(buf, f.type);
            memory.writeShort(buf + 2, (short) f.flags);
            memory.writeLong(buf + 8, f.base);
            memory.writeLong(buf + 16, f.inheriting);
        }
    }

    /** Append and non-blocking may change (append is ours to keep); the sync flags may not. */
    void setFlags(int fd, int flags) throws Errno.Failure {
        GuestFd d = fds.get(fd);
        if (d instanceof Dir dir) {
            return;
        }
        File f = file(fd, 0);
        if ((flags & ~(FdFlags.APPEND | FdFlags.NONBLOCK | SYNC_FLAGS)) != 0) {
            throw new Errno.Failure(Errno.INVAL);
        }
        if ((flags & SYNC_FLAGS) != (f.flags & SYNC_FLAGS)) {
            throw new Errno.Failure(Errno.NOTSUP);
        }
        f.flags = flags;
    }

    /** Rights only ever shrink: asking for one the descriptor lacks is ENOTCAPABLE. */
    void setRights(int fd, long base, long inheriting) throws Errno.Failure {
        GuestFd d = fds.get(fd);
        long heldBase = d instanceof Dir dir ? dir.base() : ((File) d).base;
        long heldInheriting = d instanceof Dir dir ? dir.inheriting() : ((File) d).inheriting;
        Rights.require(heldBase, base);
        Rights.require(heldInheriting, inheriting);
        if (d instanceof Dir dir) {
            fds.set(fd, dir.withRights(base, inheriting));
        } else {
            ((File) d).base = base;
            ((File) d).inheriting = inheriting;
        }
    }

    void filestat(Memory memory, int fd, int buf) throws Errno.Failure, IOException {
        GuestFd d = fds.get(fd);
        if (d instanceof Dir dir) {
            FileStat.write(memory, buf, dir.host(), -1);
        } else {
            File f = file(fd, 0);
            FileStat.write(memory, buf, f.host(), f.channel.size());
        }
    }

    void setSize(int fd, long size) throws Errno.Failure, IOException {
        File f = file(fd, Rights.FD_FILESTAT_SET_SIZE);
        if (size < 0) {
            throw new Errno.Failure(Errno.INVAL);
        }
        if (size > GuestIo.MAX_FILE_SIZE) {
            throw new Errno.Failure(Errno.FBIG);
        }
        DiskQuota quota = quotas.of(f.root());
        try (var freeing = quota.freeing()) {
            long before = f.channel.size();
            if (size < before) {
                long position = f.channel.position();
                f.channel.truncate(size);
                f.channel.position(position);
                quota.freed(before - size);
                return;
            }
        }
        grow(f, size);
    }

    void setTimes(int fd, long atim, long mtim, int fstFlags) throws Errno.Failure, IOException {
        GuestFd d = fds.get(fd);
        Path host;
        if (d instanceof Dir dir) {
            Rights.require(dir.base(), Rights.FD_FILESTAT_SET_TIMES);
            host = dir.host();
        } else {
            host = file(fd, Rights.FD_FILESTAT_SET_TIMES).host();
        }
        times.set(host, atim, mtim, fstFlags, true);
    }

    long read(Memory memory, int fd, int iovs, int count, long offset) throws Errno.Failure, IOException {
        File f = file(fd, Rights.FD_READ);
        return GuestIo.read(memory, iovs, count, f.channel, offset);
    }

    /** In append mode every write, positioned or not, lands at the end (as on Linux and in wasmtime). */
    long write(Memory memory, int fd, int iovs, int count, long offset) throws Errno.Failure, IOException {
        File f = file(fd, Rights.FD_WRITE);
        DiskQuota quota = quotas.of(f.root());
        if (f.append()) {
            long end = f.channel.size();
            long written = GuestIo.write(memory, iovs, count, f.channel, end, quota);
            if (offset < 0) {
                f.channel.position(end + written);
            }
            return written;
        }
        return GuestIo.write(memory, iovs, count, f.channel, offset, quota);
    }

    /**
     * As Linux's lseek answers: a position below 0 or past the largest file (ext4's), however it was reached (an
     * offset that overflows a 64-bit sum too), is EINVAL and leaves the position where it was.
     */
    long seek(int fd, long offset, int whence) throws Errno.Failure, IOException {
        File f = file(fd, 0);
        long base = switch (whence) {
            case 0 -> 0;
            case 1 -> f.channel.position();
            case 2 -> f.channel.size();
            default -> throw new Errno.Failure(Errno.INVAL);
        };
        long to = base + offset;
        if (to < 0 || to > GuestIo.MAX_FILE_SIZE) {
            throw new Errno.Failure(Errno.INVAL);
        }
        f.channel.position(to);
        return to;
    }

    void renumber(int from, int to) throws Errno.Failure, IOException {
        GuestFd moving = fds.get(from);
        GuestFd replaced = fds.get(to);
        if (from == to) {
            return;
        }
        if (replaced instanceof File f) {
            f.close();
        }
        fds.set(to, moving);
        fds.remove(from);
    }

    void prestat(Memory memory, int fd, int buf) throws Errno.Failure {
        byte[] name = preopen(fd);
        memory.writeI32(buf, 0);
        memory.writeI32(buf + 4, name.length);
    }

    void prestatName(Memory memory, int fd, int path, int len) throws Errno.Failure {
        byte[] name = preopen(fd);
        if (len < name.length) {
            throw new Errno.Failure(Errno.NAMETOOLONG);
        }
        memory.write(path, name);
    }

    /**
     * Entries ".", "..", then the directory's names in sorted order, from the listing the descriptor holds
     * ({@link Listings}); the cookie is an entry's index.
     */
    int readdir(Memory memory, int fd, int buf, int bufLen, long cookie) throws Errno.Failure, IOException {
        GuestFd d = fds.get(fd);
        if (!(d instanceof Dir dir)) {
            throw new Errno.Failure(Errno.NOTDIR);
        }
        Rights.require(dir.base(), Rights.FD_READDIR);
        if (cookie < 0) {
            throw new Errno.Failure(Errno.INVAL);
        }
        List<String> names = fds.listings().of(fd, dir.host(), cookie);
        int used = 0;
        boolean whole = true;
        long i = cookie;
        for (; i < names.size() && used < bufLen; i++) {
            String name = names.get((int) i);
            Path entry = name.equals("..") ? dir.host() : dir.host().resolve(name);
            var attributes = SandboxPath.lstat(entry);
            if (attributes == null) {
                continue;
            }
            byte[] bytes = name.getBytes(UTF_8);
            ByteBuffer dirent = ByteBuffer.allocate(24 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
            dirent.putLong(i + 1).putLong(FileStat.inode(entry)).putInt(bytes.length).put(FileStat.type(attributes));
            dirent.position(24);
            dirent.put(bytes);
            int n = Math.min(dirent.capacity(), bufLen - used);
            memory.write(buf + used, dirent.array(), 0, n);
            used += n;
            whole = n == dirent.capacity();
        }
        if (i >= names.size() && whole) {
            fds.listings().forget(fd);
        }
        return used;
    }

    private byte[] preopen(int fd) throws Errno.Failure {
        if (fds.get(fd) instanceof Dir dir && dir.preopen() != null) {
            return dir.preopen().getBytes(UTF_8);
        }
        throw new Errno.Failure(Errno.BADF);
    }

    /** Charges the growth first and gives it back if the host then refuses it: never charged for bytes not there. */
    private void grow(File f, long size) throws IOException, Errno.Failure {
        try (var step = quotas.of(f.root()).changing()) {
            long growth = size - f.channel.size();
            if (growth > 0) {
                long ticket = quotas.charge(f.root(), growth);
                try {
                    f.channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
                } catch (IOException | RuntimeException e) {
                    quotas.of(f.root()).refund(growth, ticket);
                    throw e;
                }
            }
        }
    }
}
