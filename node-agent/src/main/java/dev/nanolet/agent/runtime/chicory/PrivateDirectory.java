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
import java.security.SecureRandom;
import java.util.Set;

/**
 * The node's own data directory and the secrets in it: readable and writable by the node's user
 * only (0700 for directories, 0600 for files) where the file system knows POSIX permissions.
 */
final class PrivateDirectory {

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

    /**
     * The secret of {@code length} random bytes in {@code file}, made (0600) on first use. Concurrent
     * first uses agree: the file appears whole or not at all, and only once.
     */
    static byte[] secret(Path file, int length, SecureRandom random) {
        try {
            if (Files.exists(file)) {
                return Files.readAllBytes(file);
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
                return secret;
            } catch (FileAlreadyExistsException raced) {
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
