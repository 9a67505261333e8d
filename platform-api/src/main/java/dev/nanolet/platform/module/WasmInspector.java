package dev.nanolet.platform.module;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExportSection;
import dev.nanolet.limits.ModuleCheckException;
import dev.nanolet.limits.ModuleLimits;
import dev.nanolet.limits.ModuleScanner;
import dev.nanolet.platform.BadRequestException;
import dev.nanolet.platform.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import java.util.stream.Stream;

/**
 * The only class that imports Chicory: checks a module's declared sizes against the module limits
 * (before anything is allocated for them), then parses and validates it on a bounded pool of
 * parser threads within {@code nanolet.modules.parse-timeout}, and says what it imports and exports.
 * A parse that overstays keeps its parser thread until it ends, so at most
 * {@code max-concurrent-uploads} parses ever run at once.
 */
@Component
final class WasmInspector implements AutoCloseable {
    static final String WASI_MODULE = "wasi_snapshot_preview1";

    private final ModuleLimits limits;
    private final Duration parseTimeout;
    private final ThreadPoolExecutor parsers;
    private final int maxParsers;

    WasmInspector(ModuleProperties properties) {
        this.limits = properties.limits();
        this.parseTimeout = properties.parseTimeout();
        int n = properties.maxConcurrentUploads();
        this.parsers = new ThreadPoolExecutor(n, n, 0, TimeUnit.SECONDS, new SynchronousQueue<>(),
                Thread.ofPlatform().name("module-parser-", 0).daemon().factory());
        this.maxParsers = n;
    }

    /** What a valid module declares. */
    record Facts(List<String> imports, List<String> exports) {
        Facts {
            imports = List.copyOf(imports);
            exports = List.copyOf(exports);
        }

        boolean wasi() {
            return imports.stream().anyMatch(i -> i.startsWith(WASI_MODULE + "."));
        }
    }

    /**
     * Checks and parses {@code file}.
     *
     * @throws InvalidInputException (422) naming the limit a declaration exceeds, or the parse timeout
     * @throws BadRequestException (400) with the reason when it is not a valid module
     * @throws UploadsBusyException (503) when every parser thread is busy
     */
    Facts inspect(Path file) {
        try {
            ModuleScanner.check(file, limits);
        } catch (ModuleCheckException.LimitExceeded e) {
            throw new InvalidInputException("module", e.getMessage());
        } catch (ModuleCheckException.Malformed e) {
            throw new BadRequestException("not a valid WebAssembly module: " + e.getMessage());
        }
        return facts(parse(file));
    }

    private WasmModule parse(Path file) {
        Future<WasmModule> parsing;
        try {
            parsing = parsers.submit(() -> Parser.parse(file));
        } catch (RejectedExecutionException e) {
            throw new UploadsBusyException(maxParsers);
        }
        try {
            return parsing.get(parseTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            parsing.cancel(true);
            throw new InvalidInputException("module", "parsing and validating the module took longer than "
                    + parseTimeout.toMillis() + " ms (limit nanolet.modules.parse-timeout)");
        } catch (ExecutionException e) {
            throw new BadRequestException("not a valid WebAssembly module: " + reason(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            parsing.cancel(true);
            throw new UploadsBusyException(maxParsers);
        }
    }

    private static Facts facts(WasmModule module) {
        List<String> imports = module.importSection().stream().map(i -> i.module() + "." + i.name()).toList();
        ExportSection exportSection = module.exportSection();
        List<String> exports = new ArrayList<>();
        for (int i = 0; i < exportSection.exportCount(); i++) {
            exports.add(exportSection.getExport(i).name());
        }
        if (Stream.concat(imports.stream(), exports.stream()).anyMatch(n -> n.indexOf('\0') >= 0)) {
            // valid in Wasm, but PostgreSQL cannot store it (and no WASI host looks such a name up)
            throw new BadRequestException("not a valid WebAssembly module: an import or export name contains a NUL character");
        }
        return new Facts(imports, exports);
    }

    /**
     * The parser's own words, never a Java class name, stack or message: a malformed name section
     * made Chicory's parser throw the JDK's {@code newPosition > limit: (7 > 3)}, and a huge count
     * {@code Illegal Capacity: -1}, which are no reason a client can act on.
     */
    private static String reason(Throwable e) {
        if (e instanceof ChicoryException && e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        return e instanceof OutOfMemoryError ? "the module needs more memory than the platform gives a parse"
                : "the parser could not read it";
    }

    @Override
    public void close() {
        parsers.shutdownNow();
    }
}
