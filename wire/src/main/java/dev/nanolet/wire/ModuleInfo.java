package dev.nanolet.wire;

import java.time.Instant;
import java.util.List;

/**
 * A stored Wasm module, content-addressed by {@code digest} ({@code sha256:} + 64 lowercase hex).
 *
 * @param imports {@code module.name} of every import, for example {@code wasi_snapshot_preview1.fd_write}
 * @param exports names of every export, for example {@code _start}, {@code memory}
 * @param wasi whether the module imports anything from {@code wasi_snapshot_preview1}
 * @param usedBy {@code namespace/name} of every deployment with a revision that runs it
 */
public record ModuleInfo(
        String digest,
        long size,
        String name,
        List<String> imports,
        List<String> exports,
        boolean wasi,
        Instant createdAt,
        List<String> usedBy) {
    public ModuleInfo {
        imports = Collections2.list(imports);
        exports = Collections2.list(exports);
        usedBy = Collections2.list(usedBy);
    }
}
