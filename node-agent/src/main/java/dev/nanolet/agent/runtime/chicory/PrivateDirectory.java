package dev.nanolet.agent.runtime.chicory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.LinkOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own data directory and the secrets in it: readable and writable by the node's user
 * only (0700 for directories, 0600 for files) where the file system knows POSIX permissions.
 */
final class PrivateDirectory {

    private static final Logger log = LoggerFactory.getLogger(PrivateDirectory.class);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateDirectory() {}

    /** Creates {@code directory} (and missing parents) as 0700, or narrows an existing one to 0700. */
    static Path create(Path directory) {
        try {
            if (POSIX) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
                Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
            } else {
                Files.createDirectories(directory);
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the node's data directory " + directory, e);
        }
    }

    /** A secret, and whether it was made just now: whatever an earlier secret signed is worthless. */
    record Secret(byte[] bytes, boolean fresh) {}

    /**
     * The secret of {@code length} random bytes in {@code file}, made (0600) on first use, and made
     * again, with a warning, if the file is empty, of another length or unreadable. Concurrent first
     * uses agree: the file appears whole or not at all, and only once.
     */
    static Secret secret(Path file, int length, SecureRandom random) {
        try {
            if (Files.exists(file)) {
                byte[] existing = readable(file);
                if (existing != null && existing.length == length) {
                    return new Secret(existing, false);
                }
                log.warn("{} is {}, not a {}-byte secret: making a new one", file,
                        existing == null ? "unreadable" : existing.length + " bytes long", length);
                Files.deleteIfExists(file);
            }
            byte[] secret = new byte[length];
            random.nextBytes(secret);
            FileAttribute<?>[] attributes = POSIX
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                    : new FileAttribute<?>[0];
            Path temporary = Files.createTempFile(file.getParent(), "secret-", ".tmp", attributes);
            try {
                Files.write(temporary, secret);
                Files.createLink(file, temporary);
                return new Secret(secret, true);
            } catch (FileAlreadyExistsException raced) {
                return new Secret(Files.readAllBytes(file), false); // whoever made it is the one who discards
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    private static byte[] readable(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** Deletes {@code directory} and everything in it (links themselves, never what they point to); absent is fine. */
    static void deleteTree(Path directory) {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
