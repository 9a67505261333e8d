package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.compiler.Cache;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Chicory's compiler cache ({@link Cache}) as one file per module under a directory. Chicory
 * keys entries by the module digest its parser computed and stores the generated classes as one
 * jar; this class persists those bytes behind an HMAC-SHA256 over the key and the jar, made with
 * the node's own secret. An entry whose HMAC does not match (written by anyone but this node, or
 * damaged) is deleted and never handed to Chicory, so no class is defined from it; Chicory then
 * compiles afresh. Files are written to a temporary name and moved into place, so a crash never
 * leaves a half-written entry and concurrent writers of one key agree.
 */
final class DiskClassCache implements Cache {

    private static final String HMAC = "HmacSHA256";
    private static final int MAC_BYTES = 32;

    private final Path directory;
    private final SecretKeySpec secret;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    DiskClassCache(Path directory, byte[] secret) {
        this.directory = PrivateDirectory.create(directory);
        this.secret = new SecretKeySpec(secret, HMAC);
    }

    @Override
    public byte[] get(String key) throws IOException {
        byte[] entry;
        try {
            entry = Files.readAllBytes(file(key));
        } catch (NoSuchFileException absent) {
            return null;
        }
        byte[] jar = entry.length < MAC_BYTES ? null : Arrays.copyOfRange(entry, MAC_BYTES, entry.length);
        if (jar == null || !MessageDigest.isEqual(Arrays.copyOf(entry, MAC_BYTES), mac(key, jar))) {
            rejected.incrementAndGet();
            evict(key);
            return null;
        }
        hits.incrementAndGet();
        return jar;
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
            try (OutputStream out = Files.newOutputStream(temporary)) {
                out.write(mac(key, bytes));
                out.write(bytes);
            }
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

    /** How many entries failed their HMAC and were deleted instead of loaded. */
    int rejected() {
        return rejected.get();
    }

    private byte[] mac(String key, byte[] jar) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(secret);
            mac.update(key.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(jar);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
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
