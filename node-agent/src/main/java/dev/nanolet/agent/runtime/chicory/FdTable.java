package dev.nanolet.agent.runtime.chicory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One run's descriptor table: fds 0–2 are Chicory's stdio, preopened directories follow. It holds at
 * most {@value #MAX} descriptors, as a process's default {@code RLIMIT_NOFILE} does: a guest that opens
 * without closing gets {@code EMFILE}, not the node's file handles (which every run, socket and class
 * load shares) or its heap.
 */
final class FdTable {

    static final int MAX = 1024;

    private final List<GuestFd> fds = new ArrayList<>(List.of(new GuestFd.Stdio(), new GuestFd.Stdio(), new GuestFd.Stdio()));
    private final Listings listings = new Listings();

    /** The directory listings {@code fd_readdir} reads on from, each freed with its descriptor. */
    Listings listings() {
        return listings;
    }

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

    /** Fails with {@code EMFILE} when {@link #add} would have no number to give: checked before a host file is opened. */
    void requireRoom() throws Errno.Failure {
        if (fds.size() >= MAX && !fds.contains(null)) {
            throw new Errno.Failure(Errno.MFILE);
        }
    }

    /** The lowest free number, as POSIX open does; {@code EMFILE} when all {@value #MAX} are taken. */
    int add(GuestFd d) throws Errno.Failure {
        requireRoom();
        int free = fds.indexOf(null);
        if (free >= 0) {
            fds.set(free, d);
            return free;
        }
        fds.add(d);
        return fds.size() - 1;
    }

    /** A directory the run is granted, whatever the table holds: the node chooses how many. */
    void preopen(GuestFd.Dir d) {
        fds.add(d);
    }

    void set(int fd, GuestFd d) {
        fds.set(fd, d);
        listings.forget(fd);
    }

    void remove(int fd) {
        fds.set(fd, null);
        listings.forget(fd);
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
        listings.clear();
    }
}
