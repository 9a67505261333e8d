package dev.nanolet.agent.runtime.chicory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/** What a guest's file descriptor stands for. */
sealed interface GuestFd {

    /** fd 0, 1 or 2: Chicory's own stdin, stdout or stderr, which keep Chicory's functions. */
    record Stdio() implements GuestFd {}

    /**
     * A directory the guest may resolve paths under (and never above), remembered by its names
     * below the preopened directory and walked again on every use.
     *
     * @param root the preopened directory's host path
     * @param names the components from {@code root} to this directory
     * @param preopen the guest path of a preopened directory, null for one opened by path
     */
    record Dir(Path root, List<String> names, String preopen, long base, long inheriting) implements GuestFd {
        public Dir {
            names = List.copyOf(names);
        }

        Dir withRights(long newBase, long newInheriting) {
            return new Dir(root, names, preopen, newBase, newInheriting);
        }

        /** This directory's host path, after checking that no component of it became a symlink. */
        Path host() throws Errno.Failure {
            return SandboxPath.host(root, SandboxPath.walk(root, names));
        }
    }

    /** An open regular file (the only kind a guest opens that is no directory: PathCalls#open). Append is kept here, not in the channel, so it can change. */
    final class File implements GuestFd {
        private final SandboxPath path;
        final byte type;
        final FileChannel channel;
        private Runnable letGo;
        private Runnable release;
        int flags;
        long base;
        long inheriting;

        /** A file no quota holds (tests). */
        File(SandboxPath path, FileChannel channel, Runnable release, int flags, long base, long inheriting) {
            this(path, channel, null, release, flags, base, inheriting);
        }

        /**
         * @param letGo lets its quota's hold go ({@link dev.nanolet.agent.runtime.DiskQuota#hold}), once, before it is
         *     closed: an unlinked file's size is read then
         * @param release gives the node's open-file budget back the file, once, when it is closed
         */
        File(SandboxPath path, FileChannel channel, Runnable letGo, Runnable release, int flags, long base, long inheriting) {
            this.path = path;
            this.type = path.attributes() == null ? FileStat.REGULAR_FILE : FileStat.type(path.attributes());
            this.channel = channel;
            this.letGo = letGo;
            this.release = release;
            this.flags = flags;
            this.base = base;
            this.inheriting = inheriting;
        }

        /** The file's host path for calls by name (stat, times), checked again as {@link Dir#host()} is. */
        Path host() throws Errno.Failure {
            List<String> names = path.names();
            Path dir = SandboxPath.host(path.base(), SandboxPath.walk(path.base(), names.subList(0, names.size() - 1)));
            Path host = dir.resolve(names.getLast());
            var attributes = SandboxPath.lstat(host);
            if (attributes == null || attributes.isSymbolicLink()) {
                throw new Errno.Failure(Errno.NOENT);
            }
            return host;
        }

        /** The host root of the preopened directory the file is under. */
        Path root() {
            return path.base();
        }

        boolean append() {
            return (flags & FdFlags.APPEND) != 0;
        }

        void close() throws IOException {
            try {
                if (letGo != null) {
                    Runnable hold = letGo;
                    letGo = null;
                    hold.run();
                }
            } finally {
                closeChannel();
            }
        }

        private void closeChannel() throws IOException {
            try {
                channel.close();
            } finally {
                if (release != null) {
                    release.run();
                    release = null;
                }
            }
        }
    }

    /** WASI fdflags. */
    final class FdFlags {
        static final int APPEND = 1;
        static final int DSYNC = 1 << 1;
        static final int NONBLOCK = 1 << 2;
        static final int RSYNC = 1 << 3;
        static final int SYNC = 1 << 4;

        private FdFlags() {}
    }
}
