package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.compiler.Cache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chicory's compiler cache ({@link Cache}) as one file per module under a directory. Chicory
 * keys entries by the module digest its parser computed and stores the generated classes as one
 * jar; this class only persists those bytes. Files are written to a temporary name and moved into
 * place, so a crash never leaves a half-written entry and concurrent writers of one key agree.
 */
final class DiskClassCache implements Cache {

    private final Path directory;
    private final AtomicInteger hits = new AtomicInteger();

    DiskClassCache(Path directory) {
        this.directory = directory;
    }

    @Override
    public byte[] get(String key) throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(file(key));
            hits.incrementAndGet();
            return bytes;
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    @Override
    public void putIfAbsent(String key, byte[] bytes) throws IOException {
        Path target = file(key);
        if (Files.exists(target)) {
            return;
        }
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "entry-", ".tmp");
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Forgets a module's entry, for example one that Chicory could not load. */
    void evict(String key) {
        try {
            Files.deleteIfExists(file(key));
            Files.deleteIfExists(warningsFile(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Warnings recorded with the classes of a module (for example an interpreter fallback). */
    List<String> warnings(String key) {
        try {
            return Files.readAllLines(warningsFile(key));
        } catch (NoSuchFileException absent) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void putWarnings(String key, List<String> warnings) {
        try {
            Files.createDirectories(directory);
            Files.write(warningsFile(key), warnings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many lookups found compiled classes on disk; tests use it to prove a restart reuses them. */
    int hits() {
        return hits.get();
    }

    Path file(String key) {
        return directory.resolve(name(key) + ".jar");
    }

    private Path warningsFile(String key) {
        return directory.resolve(name(key) + ".warnings");
    }

    private static String name(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }
}
