package dev.nanolet.agent.runtime.chicory;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import dev.nanolet.agent.runtime.Invocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * One run's view of its granted directories, replacing Chicory's file-system functions of WASI
 * preview 1 (Chicory 1.7.5 follows host symlinks out of a preopen, cannot change fdflags, and
 * differs from wasmtime in rename, link, symlink and rights; see docs/runtime.md). Chicory keeps
 * stdio (fds 0–2), args, environment, clocks, random, poll and exit: an {@code fd_*} call on fd
 * 0–2 goes to Chicory's own function, except a write to a stdio stream that {@code refusesWrites}
 * (its output was cut), which fails with {@code EIO} at once, before Chicory copies the guest's buffer,
 * and {@code fd_read} on stdin, which we read in bounded chunks: Chicory 1.7.5 allocates a buffer of
 * whatever length each iovec declares (up to 4 GiB, or a negative size) before reading a byte.
 */
final class WasiFileSystem implements AutoCloseable {

    private static final Set<String> WRITES = Set.of("fd_write", "fd_pwrite");
    /** The longest path (or symlink target) a call takes, as Linux's {@code PATH_MAX}. */
    static final int PATH_MAX = 4096;

    private final FdTable fds = new FdTable();
    private final FdCalls fd;
    private final PathCalls path;
    private final Map<String, Handler> handlers = new HashMap<>();
    private final Map<String, Boolean> delegatesStdio = new HashMap<>();
    private final IntPredicate refusesWrites;
    private final InputStream stdin;

    /**
     * @param files the node's budget of open files, for this run's tenant: every file the run opens takes one of it
     * @param stdin the stream Chicory was given as fd 0, which {@code fd_read} on fd 0 reads
     * @param refusesWrites whether stdio fd 1 or 2 takes no more bytes
     */
    WasiFileSystem(List<Invocation.Directory> directories, Clock clock, OpenFiles.Tenant files, InputStream stdin, IntPredicate refusesWrites) {
        this.stdin = stdin;
        this.refusesWrites = refusesWrites;
        var times = new FileTimes(clock);
        var quotas = new Quotas();
        this.fd = new FdCalls(fds, times, quotas);
        this.path = new PathCalls(fds, times, files, quotas);
        for (Invocation.Directory d : directories) {
            quotas.put(root(d.hostPath()), d.quota());
            fds.preopen(new GuestFd.Dir(root(d.hostPath()), List.of(), d.guestPath(), Rights.DIRECTORY, Rights.DIRECTORY | Rights.FILE));
        }
        fdFunctions();
        pathFunctions();
    }

    /** Chicory's WASI functions with the file-system ones replaced by ours. */
    HostFunction[] bind(HostFunction[] chicory) {
        return Arrays.stream(chicory).map(this::replace).toArray(HostFunction[]::new);
    }

    /** Closes the files the guest left open. */
    @Override
    public void close() {
        fds.closeAll();
    }

    private HostFunction replace(HostFunction original) {
        Handler handler = handlers.get(original.name());
        if (handler == null) {
            return original;
        }
        boolean stdio = delegatesStdio.get(original.name());
        WasmFunctionHandle ours = (instance, args) -> {
            if (stdio && fds.isStdio((int) args[0])) {
                if (WRITES.contains(original.name()) && refusesWrites.test((int) args[0])) {
                    return new long[] {Errno.IO};
                }
                if (original.name().equals("fd_read") && args[0] == 0) {
                    Memory m = instance.memory();
                    return new long[] {errno(() -> m.writeI32(i(args[3]), (int) GuestIo.read(m, i(args[1]), i(args[2]), stdin)))};
                }
                long[] result = original.handle().apply(instance, args);
                if (original.name().equals("fd_close") && result[0] == Errno.SUCCESS) {
                    fds.remove((int) args[0]);
                }
                return result;
            }
            return new long[] {errno(() -> handler.call(instance.memory(), args))};
        };
        return new HostFunction(original.module(), original.name(), original.functionType(), ours);
    }

    private void fdFunctions() {
        fdCall("fd_advise", (m, a) -> fd.advise(i(a[0])));
        fdCall("fd_allocate", (m, a) -> fd.allocate(i(a[0]), a[1], a[2]));
        fdCall("fd_close", (m, a) -> fd.close(i(a[0])));
        fdCall("fd_datasync", (m, a) -> fd.sync(i(a[0]), false));
        fdCall("fd_sync", (m, a) -> fd.sync(i(a[0]), true));
        fdCall("fd_fdstat_get", (m, a) -> fd.fdstat(m, i(a[0]), i(a[1])));
        fdCall("fd_fdstat_set_flags", (m, a) -> fd.setFlags(i(a[0]), i(a[1])));
        fdCall("fd_fdstat_set_rights", (m, a) -> fd.setRights(i(a[0]), a[1], a[2]));
        fdCall("fd_filestat_get", (m, a) -> fd.filestat(m, i(a[0]), i(a[1])));
        fdCall("fd_filestat_set_size", (m, a) -> fd.setSize(i(a[0]), a[1]));
        fdCall("fd_filestat_set_times", (m, a) -> fd.setTimes(i(a[0]), a[1], a[2], i(a[3])));
        fdCall("fd_read", (m, a) -> m.writeI32(i(a[3]), (int) fd.read(m, i(a[0]), i(a[1]), i(a[2]), -1)));
        fdCall("fd_pread", (m, a) -> m.writeI32(i(a[4]), (int) fd.read(m, i(a[0]), i(a[1]), i(a[2]), offset(a[3]))));
        fdCall("fd_write", (m, a) -> m.writeI32(i(a[3]), (int) fd.write(m, i(a[0]), i(a[1]), i(a[2]), -1)));
        fdCall("fd_pwrite", (m, a) -> m.writeI32(i(a[4]), (int) fd.write(m, i(a[0]), i(a[1]), i(a[2]), offset(a[3]))));
        fdCall("fd_readdir", (m, a) -> m.writeI32(i(a[4]), fd.readdir(m, i(a[0]), i(a[1]), i(a[2]), a[3])));
        fdCall("fd_seek", (m, a) -> m.writeLong(i(a[3]), fd.seek(i(a[0]), a[1], i(a[2]))));
        fdCall("fd_tell", (m, a) -> m.writeLong(i(a[1]), fd.seek(i(a[0]), 0, 1)));
        fdCall("fd_prestat_get", (m, a) -> fd.prestat(m, i(a[0]), i(a[1])));
        fdCall("fd_prestat_dir_name", (m, a) -> fd.prestatName(m, i(a[0]), i(a[1]), i(a[2])));
        on("fd_renumber", false, (m, a) -> renumber(i(a[0]), i(a[1])));
    }

    private void pathFunctions() {
        pathCall("path_create_directory", (m, a) -> path.createDirectory(i(a[0]), string(m, a[1], a[2])));
        pathCall("path_filestat_get", (m, a) -> path.filestat(m, i(a[0]), i(a[1]), string(m, a[2], a[3]), i(a[4])));
        pathCall("path_filestat_set_times",
                (m, a) -> path.setTimes(i(a[0]), i(a[1]), string(m, a[2], a[3]), a[4], a[5], i(a[6])));
        pathCall("path_link", (m, a) -> path.link(i(a[0]), i(a[1]), string(m, a[2], a[3]), i(a[4]), string(m, a[5], a[6])));
        pathCall("path_open", (m, a) -> m.writeI32(i(a[8]),
                path.open(i(a[0]), i(a[1]), string(m, a[2], a[3]), i(a[4]), a[5], a[6], i(a[7]))));
        pathCall("path_readlink",
                (m, a) -> m.writeI32(i(a[5]), path.readlink(m, i(a[0]), string(m, a[1], a[2]), i(a[3]), i(a[4]))));
        pathCall("path_remove_directory", (m, a) -> path.removeDirectory(i(a[0]), string(m, a[1], a[2])));
        pathCall("path_rename", (m, a) -> path.rename(i(a[0]), string(m, a[1], a[2]), i(a[3]), string(m, a[4], a[5])));
        pathCall("path_symlink", (m, a) -> path.symlink(string(m, a[0], a[1]), i(a[2]), string(m, a[3], a[4])));
        pathCall("path_unlink_file", (m, a) -> path.unlinkFile(i(a[0]), string(m, a[1], a[2])));
        for (String sock : List.of("sock_accept", "sock_recv", "sock_send", "sock_shutdown")) {
            pathCall(sock, (m, a) -> notASocket(i(a[0])));
        }
    }

    /** No descriptor is a socket (none is ever preopened): EBADF or ENOTSOCK, as wasmtime answers, not Chicory's trap. */
    private void notASocket(int fd) throws Errno.Failure {
        fds.get(fd);
        throw new Errno.Failure(Errno.NOTSOCK);
    }

    /** Within our table, or within Chicory's stdio; moving a file onto stdio (or back) is not supported. */
    private void renumber(int from, int to) throws Errno.Failure, IOException {
        fds.get(from);
        fds.get(to);
        if (fds.isStdio(from) || fds.isStdio(to)) {
            throw new Errno.Failure(from == to ? Errno.SUCCESS : Errno.NOTSUP);
        }
        fd.renumber(from, to);
    }

    private void fdCall(String name, Handler handler) {
        on(name, true, handler);
    }

    private void pathCall(String name, Handler handler) {
        on(name, false, handler);
    }

    private void on(String name, boolean stdioGoesToChicory, Handler handler) {
        handlers.put(name, handler);
        delegatesStdio.put(name, stdioGoesToChicory);
    }

    private static int errno(Call call) {
        try {
            call.run();
            return Errno.SUCCESS;
        } catch (Errno.Failure f) {
            return f.errno;
        } catch (IOException | NonReadableChannelException | NonWritableChannelException | IllegalArgumentException e) {
            return Errno.of(e);
        } catch (UnsupportedOperationException e) {
            return Errno.NOTSUP;
        }
    }

    private static Path root(Path host) {
        try {
            return host.toRealPath();
        } catch (IOException e) {
            return host.toAbsolutePath().normalize();
        }
    }

    private static int i(long arg) {
        return (int) arg;
    }

    private static long offset(long arg) throws Errno.Failure {
        if (arg < 0) {
            throw new Errno.Failure(Errno.INVAL);
        }
        return arg;
    }

    /** A path from guest memory; one longer than Linux's {@value #PATH_MAX} bytes is refused before it is copied. */
    private static String string(Memory memory, long ptr, long len) throws Errno.Failure {
        if (Integer.toUnsignedLong((int) len) > PATH_MAX) {
            throw new Errno.Failure(Errno.NAMETOOLONG);
        }
        return new String(memory.readBytes((int) ptr, (int) len), UTF_8);
    }

    @FunctionalInterface
    private interface Handler {
        void call(Memory memory, long[] args) throws Errno.Failure, IOException;
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Errno.Failure, IOException;
    }
}
