package dev.nanolet.wire;

import java.time.Instant;
import java.util.List;

/**
 * A stored Wasm module, content-addressed by {@code digest} ({@code sha256:} + 64 lowercase hex).
 *
 * @param imports {@code module.name} of every import, for example {@code wasi_snapshot_preview1.fd_write}
 * @param exports names of every export, for example {@code _start}, {@code memory}
 * @param wasi whether the module imports anything from {@code wasi_snapshot_preview1}
 * @param usedBy {@code namespace/name} of every live deployment with a revision that runs it, in the
 *     namespaces the caller may read
 * @param source the OCI reference it was imported from ({@code registry/repository:tag}), or null for an upload
 * @param sourceDigest the manifest digest that reference resolved to at import, or null
 */
public record ModuleInfo(
        String digest,
        long size,
        String name,
        List<String> imports,
        List<String> exports,
        boolean wasi,
        Instant createdAt,
        List<String> usedBy,
        String source,
        String sourceDigest) {
    public ModuleInfo {
        imports = Collections2.list(imports);
        exports = Collections2.list(exports);
        usedBy = Collections2.list(usedBy);
    }

    /** An uploaded module (no OCI source). */
    public ModuleInfo(String digest, long size, String name, List<String> imports, List<String> exports, boolean wasi,
            Instant createdAt, List<String> usedBy) {
        this(digest, size, name, imports, exports, wasi, createdAt, usedBy, null, null);
    }
}
