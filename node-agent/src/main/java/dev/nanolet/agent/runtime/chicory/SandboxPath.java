package dev.nanolet.agent.runtime.chicory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A guest path resolved under one directory descriptor, the way cap-std (wasmtime's sandbox) does
 * it: one component at a time, symbolic links read and expanded by us rather than by the host, so
 * that nothing — {@code ..}, an absolute path, a symlink with an absolute target or one whose
 * relative target climbs out — ever names a file outside the descriptor's directory. Such a path
 * fails with ENOTCAPABLE; more than {@value #MAX_LINKS} links fail with ELOOP.
 *
 * @param base the preopened directory's host path
 * @param floor how many of {@code names} name the descriptor's own directory, which {@code ..} may not leave
 * @param names the components below {@code base}, each but the last a real directory (no link)
 * @param attributes the last component's own attributes (not followed), null if it does not exist
 * @param trailingSlash whether the guest's path ended in {@code /} (the last component must be a directory)
 */
record SandboxPath(Path base, int floor, List<String> names, BasicFileAttributes attributes, boolean trailingSlash) {

    static final int MAX_LINKS = 32;

    SandboxPath {
        names = List.copyOf(names);
    }

    /**
     * Resolves {@code path} under the directory {@code dir} below {@code base}; a symlink in the
     * last place is followed only when {@code followLast} (or the path ends in a slash). The
     * directory itself is walked again first, so a directory replaced by a symlink since it was
     * opened (by the guest or anyone) is ENOTCAPABLE, never followed.
     */
    static SandboxPath resolve(Path base, List<String> dir, String path, boolean followLast) throws Errno.Failure {
        if (path.isEmpty()) {
            throw new Errno.Failure(Errno.NOENT);
        }
        if (path.indexOf('\0') >= 0) {
            throw new Errno.Failure(Errno.INVAL);
        }
        if (path.startsWith("/")) {
            throw new Errno.Failure(Errno.NOTCAPABLE);
        }
        boolean slash = path.endsWith("/");
        Deque<String> todo = components(path);
        List<String> done = walk(base, dir);
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pollFirst();
            if (name.equals("..")) {
                if (done.size() == dir.size()) {
                    throw new Errno.Failure(Errno.NOTCAPABLE);
                }
                done.removeLast();
                continue;
            }
            Path candidate = host(base, done).resolve(name);
            BasicFileAttributes a = lstat(candidate);
            boolean last = todo.isEmpty();
            if (a != null && a.isSymbolicLink() && (!last || followLast || slash)) {
                if (++links > MAX_LINKS) {
                    throw new Errno.Failure(Errno.LOOP);
                }
                String target = readLink(candidate);
                if (target.startsWith("/")) {
                    throw new Errno.Failure(Errno.NOTCAPABLE);
                }
                components(target).descendingIterator().forEachRemaining(todo::addFirst);
                continue;
            }
            if (!last && a == null) {
                throw new Errno.Failure(Errno.NOENT);
            }
            if (!last && !a.isDirectory()) {
                throw new Errno.Failure(Errno.NOTDIR);
            }
            done.add(name);
        }
        BasicFileAttributes attributes = lstat(host(base, done));
        if (slash && attributes != null && !attributes.isDirectory()) {
            throw new Errno.Failure(Errno.NOTDIR);
        }
        return new SandboxPath(base, dir.size(), done, attributes, slash);
    }

    /** Checks that each of {@code names} below {@code base} is still a real directory; returns a copy. */
    static List<String> walk(Path base, List<String> names) throws Errno.Failure {
        List<String> done = new ArrayList<>();
        for (String name : names) {
            BasicFileAttributes a = lstat(host(base, done).resolve(name));
            if (a == null) {
                throw new Errno.Failure(Errno.NOENT);
            }
            if (a.isSymbolicLink()) {
                throw new Errno.Failure(Errno.NOTCAPABLE);
            }
            if (!a.isDirectory()) {
                throw new Errno.Failure(Errno.NOTDIR);
            }
            done.add(name);
        }
        return done;
    }

    /** The resolved host path. */
    Path host() {
        return host(base, names);
    }

    boolean exists() {
        return attributes != null;
    }

    boolean isDirectory() {
        return attributes != null && attributes.isDirectory();
    }

    boolean isSymlink() {
        return attributes != null && attributes.isSymbolicLink();
    }

    /** Whether the path names the descriptor's directory itself ({@code .}, {@code a/..}). */
    boolean isBase() {
        return names.size() == floor;
    }

    static Path host(Path base, List<String> names) {
        Path p = base;
        for (String n : names) {
            p = p.resolve(n);
        }
        return p;
    }

    private static Deque<String> components(String path) {
        Deque<String> out = new ArrayDeque<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    static BasicFileAttributes lstat(Path p) throws Errno.Failure {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new Errno.Failure(Errno.of(e));
        }
    }

    private static String readLink(Path p) throws Errno.Failure {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            throw new Errno.Failure(Errno.of(e));
        }
    }
}
