package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.InvalidModuleException;
import dev.nanolet.agent.runtime.WasmRuntime;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * {@link WasmRuntime} on Chicory: parse and validate, compile every function to JVM bytecode with
 * {@link MachineFactoryCompiler} (the generated classes cached on disk under the module's digest,
 * so a restart loads them instead of compiling again), and the interpreter only for functions the
 * compiler cannot take, which shows in {@link CompiledModule#warnings()}.
 */
public final class ChicoryRuntime implements WasmRuntime {

    private final DiskClassCache cache;
    private final Host host;

    /**
     * @param cacheDirectory where compiled classes live; a subdirectory per Chicory version
     * @param timer fires the wall-clock deadlines of runs
     */
    public ChicoryRuntime(Path cacheDirectory, ScheduledExecutorService timer, Clock clock) {
        this.cache = new DiskClassCache(cacheDirectory.resolve("chicory-" + ChicoryVersion.VALUE));
        this.host = new Host(timer, clock, new SecureRandom());
    }

    @Override
    public CompiledModule compile(String digest, byte[] bytes) {
        WasmModule module = parse(digest, bytes);
        int hitsBefore = cache.hits();
        try {
            return new ChicoryModule(module, compile(module, InterpreterFallback.FAIL), cache.warnings(module.digest()), host);
        } catch (RuntimeException refused) {
            if (cache.hits() > hitsBefore) {
                cache.evict(module.digest()); // an entry Chicory cannot load: compile afresh
                return compile(digest, bytes);
            }
            if (!(refused instanceof ChicoryException)) {
                throw refused;
            }
            var warning = "some functions run in Chicory's interpreter, slower than compiled code ("
                    + refused.getMessage() + ")";
            var machines = compile(module, InterpreterFallback.SILENT);
            cache.putWarnings(module.digest(), List.of(warning));
            return new ChicoryModule(module, machines, List.of(warning), host);
        }
    }

    /** How many compilations were answered from the disk cache; for tests. */
    int cacheHits() {
        return cache.hits();
    }

    private Function<Instance, Machine> compile(WasmModule module, InterpreterFallback fallback) {
        return MachineFactoryCompiler.builder(module).withInterpreterFallback(fallback).withCache(cache).compile();
    }

    private static WasmModule parse(String digest, byte[] bytes) {
        WasmModule module;
        try {
            module = Parser.parse(bytes);
        } catch (RuntimeException | AssertionError e) {
            // the parser reads only these bytes: whatever it throws means they are malformed (it meets some
            // malformed code with a NullPointerException, or an AssertionError in JVMs run with -ea)
            throw new InvalidModuleException(digest + " is not a valid Wasm module: " + e.getMessage(), e);
        }
        List<String> problems = WasiImports.problems(module);
        if (!problems.isEmpty()) {
            throw new InvalidModuleException(digest + " cannot run on WASI preview 1: " + String.join("; ", problems), null);
        }
        if (!exportsStart(module)) {
            throw new InvalidModuleException(digest + " exports no _start function (not a WASI command module)", null);
        }
        return module;
    }

    private static boolean exportsStart(WasmModule module) {
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            var export = module.exportSection().getExport(i);
            if (export.name().equals("_start") && export.exportType() == ExternalType.FUNCTION) {
                return true;
            }
        }
        return false;
    }
}
