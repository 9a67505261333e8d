package dev.nanolet.agent.runtime.chicory;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import com.dylibso.chicory.runtime.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** WASI filestat, filetype and dirent encodings of a host file's attributes. */
final class FileStat {

    static final byte UNKNOWN = 0;
    static final byte BLOCK_DEVICE = 1;
    static final byte CHARACTER_DEVICE = 2;
    static final byte DIRECTORY = 3;
    static final byte REGULAR_FILE = 4;
    static final byte SOCKET_STREAM = 6;
    static final byte SYMBOLIC_LINK = 7;

    private static final int S_IFMT = 0170000;

    private FileStat() {}

    /** Writes the 64-byte filestat of {@code path} (not followed); {@code size} overrides the size when ≥ 0. */
    static void write(Memory memory, int buf, Path path, long size) throws Errno.Failure {
        Map<String, Object> a = unix(path);
        memory.writeLong(buf, ((Number) a.get("dev")).longValue());
        memory.writeLong(buf + 8, ((Number) a.get("ino")).longValue());
        memory.writeLong(buf + 16, 0L);
        memory.writeByte(buf + 16, type(a));
        memory.writeLong(buf + 24, ((Number) a.get("nlink")).longValue());
        memory.writeLong(buf + 32, size >= 0 ? size : ((Number) a.get("size")).longValue());
        memory.writeLong(buf + 40, nanos(a.get("lastAccessTime")));
        memory.writeLong(buf + 48, nanos(a.get("lastModifiedTime")));
        memory.writeLong(buf + 56, nanos(a.get("ctime")));
    }

    static byte type(Path path) throws Errno.Failure {
        return type(unix(path));
    }

    static byte type(BasicFileAttributes a) {
        return a.isSymbolicLink() ? SYMBOLIC_LINK : a.isDirectory() ? DIRECTORY : a.isRegularFile() ? REGULAR_FILE : UNKNOWN;
    }

    static long inode(Path path) {
        try {
            return ((Number) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static byte type(Map<String, Object> a) {
        int fmt = ((Number) a.get("mode")).intValue() & S_IFMT;
        return switch (fmt) {
            case 0040000 -> DIRECTORY;
            case 0100000 -> REGULAR_FILE;
            case 0120000 -> SYMBOLIC_LINK;
            case 0020000 -> CHARACTER_DEVICE;
            case 0060000 -> BLOCK_DEVICE;
            case 0140000 -> SOCKET_STREAM;
            default -> UNKNOWN;
        };
    }

    private static Map<String, Object> unix(Path path) throws Errno.Failure {
        try {
            return Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new Errno.Failure(Errno.of(e));
        } catch (UnsupportedOperationException e) {
            throw new Errno.Failure(Errno.NOTSUP);
        }
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(NANOSECONDS);
    }
}
