package dev.nanolet.agent.replica;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.InvalidModuleException;
import dev.nanolet.agent.runtime.WasmRuntime;
import dev.nanolet.wire.ModuleDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Modules by digest: fetched once, verified against their sha256, kept on disk under the cache
 * directory, compiled once per digest. A module named by another reference (an OCI image in
 * Kubernetes mode) is fetched through the source each time a replica starts (the source applies its
 * pull policy and keeps its own disk cache) and compiled once per digest of what came.
 */
@Component
class ModuleStore {

    private final ModuleSource source;
    private final WasmRuntime runtime;
    private final Path dir;
    private final ConcurrentMap<String, CompiledModule> compiled = new ConcurrentHashMap<>();

    ModuleStore(ModuleSource source, WasmRuntime runtime, NodeProperties node) {
        this.source = source;
        this.runtime = runtime;
        this.dir = node.dataDir().resolve("modules");
    }

    /**
     * The compiled module of {@code module} for {@code replica}, blocking while it is fetched and compiled: a
     * module named by a reference is fetched as that replica may ({@link ModuleSource#fetch(UUID, String)}).
     *
     * @throws ModuleFetchException if it cannot be fetched or its bytes do not match the digest
     * @throws InvalidModuleException if the runtime refuses it
     */
    CompiledModule load(UUID replica, String module) {
        if (!isDigest(module)) {
            byte[] fetched = fetch(() -> source.fetch(replica, module), module);
            return compiled.computeIfAbsent(ModuleDigest.of(fetched), d -> runtime.compile(d, fetched));
        }
        return compiled.computeIfAbsent(module, d -> runtime.compile(d, bytes(replica, d)));
    }

    private static boolean isDigest(String module) {
        return module != null && module.startsWith("sha256:");
    }

    private static byte[] fetch(Supplier<byte[]> from, String module) {
        try {
            return from.get();
        } catch (RuntimeException e) {
            throw new ModuleFetchException("cannot fetch " + module + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code digest} is compiled already (a load returns at once). */
    boolean compiled(String digest) {
        return isDigest(digest) && compiled.containsKey(digest);
    }

    /** Whether {@code digest} is compiled or on disk already (a load would not fetch it). */
    boolean present(String digest) {
        if (!isDigest(digest)) {
            return false;
        }
        if (compiled.containsKey(digest)) {
            return true;
        }
        try {
            return Files.exists(dir.resolve(hex(digest) + ".wasm"));
        } catch (ModuleFetchException e) {
            return false;
        }
    }

    private byte[] bytes(UUID replica, String digest) {
        String hex = hex(digest);
        Path file = dir.resolve(hex + ".wasm");
        try {
            if (Files.exists(file)) {
                byte[] cached = Files.readAllBytes(file);
                if (ModuleDigest.of(cached).equals(digest)) {
                    return cached;
                }
            }
            byte[] fetched = fetch(() -> source.fetch(replica, digest), digest);
            String actual = ModuleDigest.of(fetched);
            if (!actual.equals(digest)) {
                throw new ModuleFetchException("content of " + digest + " has digest " + actual, null);
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, hex, ".part");
            Files.write(tmp, fetched);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return fetched;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hex(String digest) {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new ModuleFetchException("not a sha256 digest: " + digest, null);
        }
        return digest.substring("sha256:".length());
    }


    /** The module could not be fetched, or what came is not what the digest names. */
    static final class ModuleFetchException extends RuntimeException {
        ModuleFetchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
