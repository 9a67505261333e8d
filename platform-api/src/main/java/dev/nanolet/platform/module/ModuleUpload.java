package dev.nanolet.platform.module;

import dev.nanolet.platform.BadRequestException;
import dev.nanolet.platform.PayloadTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An uploaded module on disk: streamed to a temporary file while its sha256 is computed,
 * refused once it passes {@code maxBytes} — never held in memory whole. Closing deletes the file.
 */
final class ModuleUpload implements AutoCloseable {
    private final Path file;
    private final String digest;
    private final long size;

    private ModuleUpload(Path file, String digest, long size) {
        this.file = file;
        this.digest = digest;
        this.size = size;
    }

    /**
     * Copies {@code in} to a temporary file.
     *
     * @throws PayloadTooLargeException past {@code maxBytes}
     * @throws BadRequestException when the body is empty
     */
    static ModuleUpload receive(InputStream in, long maxBytes) {
        Path file = null;
        try {
            file = Files.createTempFile("nanolet-module-", ".wasm");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long size = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    size += n;
                    if (size > maxBytes) {
                        throw tooLarge(maxBytes);
                    }
                    sha256.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            if (size == 0) {
                throw new BadRequestException("the request body is empty: send the .wasm module");
            }
            return new ModuleUpload(file, "sha256:" + HexFormat.of().formatHex(sha256.digest()), size);
        } catch (IOException e) {
            delete(file);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            delete(file);
            throw e;
        } catch (NoSuchAlgorithmException e) {
            delete(file);
            throw new IllegalStateException(e);
        }
    }

    static PayloadTooLargeException tooLarge(long maxBytes) {
        return new PayloadTooLargeException("a module may be at most " + maxBytes + " bytes (nanolet.modules.max-size)");
    }

    Path file() { return file; }
    String digest() { return digest; }
    long size() { return size; }

    @Override
    public void close() {
        delete(file);
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }
}
