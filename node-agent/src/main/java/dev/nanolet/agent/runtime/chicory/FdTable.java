package dev.nanolet.agent.runtime.chicory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One run's descriptor table: fds 0–2 are Chicory's stdio, preopened directories follow. */
final class FdTable {

    private final List<GuestFd> fds = new ArrayList<>(List.of(new GuestFd.Stdio(), new GuestFd.Stdio(), new GuestFd.Stdio()));

    GuestFd get(int fd) throws Errno.Failure {
        GuestFd d = fd >= 0 && fd < fds.size() ? fds.get(fd) : null;
        if (d == null) {
            throw new Errno.Failure(Errno.BADF);
        }
        return d;
    }

    boolean isStdio(int fd) {
        return fd >= 0 && fd < fds.size() && fds.get(fd) instanceof GuestFd.Stdio;
    }

    GuestFd.Dir dir(int fd) throws Errno.Failure {
        if (get(fd) instanceof GuestFd.Dir d) {
            return d;
        }
        throw new Errno.Failure(Errno.NOTDIR);
    }

    /** The lowest free number, as POSIX open does. */
    int add(GuestFd d) {
        int free = fds.indexOf(null);
        if (free >= 0) {
            fds.set(free, d);
            return free;
        }
        fds.add(d);
        return fds.size() - 1;
    }

    void set(int fd, GuestFd d) {
        fds.set(fd, d);
    }

    void remove(int fd) {
        fds.set(fd, null);
    }

    /** Closes every file; a failing close loses nothing (channels do not buffer), so it is not reported. */
    void closeAll() {
        for (GuestFd d : fds) {
            if (d instanceof GuestFd.File f) {
                try {
                    f.close();
                } catch (IOException ignored) {
                    // the guest's writes are already in the file
                }
            }
        }
        fds.clear();
    }
}
