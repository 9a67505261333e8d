package dev.nanolet.agent.runtime.chicory;

import java.io.IOException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Map;

/** WASI preview 1 error numbers the file system answers, and how host failures map onto them. */
final class Errno {

    static final int SUCCESS = 0;
    static final int ACCES = 2;
    static final int AGAIN = 6;
    static final int BADF = 8;
    static final int DQUOT = 19;
    static final int EXIST = 20;
    static final int FBIG = 22;
    static final int INVAL = 28;
    static final int IO = 29;
    static final int ISDIR = 31;
    static final int LOOP = 32;
    static final int MFILE = 33;
    static final int MLINK = 34;
    static final int NAMETOOLONG = 37;
    static final int NFILE = 41;
    static final int NOENT = 44;
    static final int NOSPC = 51;
    static final int NOTDIR = 54;
    static final int NOTEMPTY = 55;
    static final int NOTSOCK = 57;
    static final int NOTSUP = 58;
    static final int PERM = 63;
    static final int ROFS = 69;
    static final int SPIPE = 70;
    static final int XDEV = 75;
    static final int NOTCAPABLE = 76;

    /** Linux's strerror texts, which the JDK puts in {@link FileSystemException#getReason()}. */
    private static final Map<String, Integer> REASONS = Map.ofEntries(
            Map.entry("Is a directory", ISDIR),
            Map.entry("Not a directory", NOTDIR),
            Map.entry("Directory not empty", NOTEMPTY),
            Map.entry("File exists", EXIST),
            Map.entry("No such file or directory", NOENT),
            Map.entry("Too many levels of symbolic links", LOOP),
            Map.entry("Permission denied", ACCES),
            Map.entry("Operation not permitted", PERM),
            Map.entry("Invalid argument", INVAL),
            Map.entry("Invalid cross-device link", XDEV),
            Map.entry("No space left on device", NOSPC),
            Map.entry(GuestIo.QUOTA_EXCEEDED, DQUOT),
            Map.entry("File name too long", NAMETOOLONG),
            Map.entry("Read-only file system", ROFS),
            Map.entry("File too large", FBIG),
            Map.entry("Too many links", MLINK));

    private Errno() {}

    /** The errno for a failed host call. */
    static int of(Exception e) {
        return switch (e) {
            case NoSuchFileException x -> NOENT;
            case FileAlreadyExistsException x -> EXIST;
            case DirectoryNotEmptyException x -> NOTEMPTY;
            case NotDirectoryException x -> NOTDIR;
            case NotLinkException x -> INVAL;
            case FileSystemLoopException x -> LOOP;
            case AccessDeniedException x -> x.getReason() == null ? ACCES : REASONS.getOrDefault(x.getReason(), ACCES);
            case FileSystemException x -> x.getReason() == null ? IO : REASONS.getOrDefault(x.getReason(), IO);
            case NonReadableChannelException x -> NOTCAPABLE;
            case NonWritableChannelException x -> NOTCAPABLE;
            case IllegalArgumentException x -> INVAL;
            case IOException x -> IO;
            default -> IO;
        };
    }

    /** A WASI call that ends early with an errno; cheap (no stack trace), never leaves the package. */
    static final class Failure extends Exception {
        final int errno;

        Failure(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }
}
