package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.InvalidModuleException;
import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.WasmRuntime;
import dev.nanolet.limits.ModuleCheckException;
import dev.nanolet.limits.ModuleLimits;
import dev.nanolet.limits.ModuleScanner;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WasmRuntime} on Chicory: parse and validate, compile every function to JVM bytecode with
 * {@link MachineFactoryCompiler} (the generated classes cached on disk under the module's digest,
 * so a restart loads them instead of compiling again), and the interpreter only for functions the
 * compiler cannot take, which shows in {@link CompiledModule#warnings()}.
 *
 * <p>{@link #interpreter} makes the second backend of the seam: the same runtime without the compiler.
 */
public final class ChicoryRuntime implements WasmRuntime {

    private static final Logger log = LoggerFactory.getLogger(ChicoryRuntime.class);

    private final DiskClassCache cache; // null: interpreter only
    private final Host host;

    /**
     * @param dataDirectory the node's own directory, made 0700: compiled classes live in
     *     {@code classes/chicory-<version>/}, signed with the secret in {@code class-cache.key}; a key
     *     file that is empty, damaged or unreadable is made again (with a warning) and the cached
     *     classes are discarded: the cache is only a cache
     * @param timer fires the wall-clock deadlines of runs
     * @param limits what every run is allowed
     */
    public ChicoryRuntime(Path dataDirectory, ScheduledExecutorService timer, Clock clock, RuntimeLimits limits) {
        this(dataDirectory, timer, clock, limits, false);
    }

    /**
     * A runtime whose runs are one tenant's, where no other can come ({@code node-agent run}): its budgets for linear
     * memory and open files keep no part for another tenant, so its runs may take them whole.
     */
    public static ChicoryRuntime forOneTenant(Path dataDirectory, ScheduledExecutorService timer, Clock clock, RuntimeLimits limits) {
        return new ChicoryRuntime(dataDirectory, timer, clock, limits, true);
    }

    private ChicoryRuntime(Path dataDirectory, ScheduledExecutorService timer, Clock clock, RuntimeLimits limits, boolean alone) {
        var random = new SecureRandom();
        PrivateDirectory.create(dataDirectory);
        var secret = PrivateDirectory.secret(dataDirectory.resolve("class-cache.key"), 32, random);
        if (secret.fresh()) {
            PrivateDirectory.deleteTree(dataDirectory.resolve("classes")); // signed with a lost key: compile afresh
        }
        this.cache = new DiskClassCache(dataDirectory.resolve("classes").resolve("chicory-" + ChicoryVersion.VALUE), secret.bytes());
        this.host = new Host(timer, clock, random, limits, alone);
    }

    /** A runtime on {@code host}'s budgets, with no compiler (as {@link #interpreter}). */
    ChicoryRuntime(Host host) {
        this.cache = null;
        this.host = host;
    }

    /**
     * The same runtime (checks, WASI, limits, outcomes) with no compiler: every function runs in
     * Chicory's interpreter. A module is ready as soon as it is parsed and validated (no bytecode is
     * generated, nothing is cached on disk), but its code runs many times slower than compiled code
     * (docs/performance.md, "Compute"). The node does not use it.
     */
    public static ChicoryRuntime interpreter(ScheduledExecutorService timer, Clock clock, RuntimeLimits limits) {
        return new ChicoryRuntime(new Host(timer, clock, new SecureRandom(), limits, false));
    }

    @Override
    public CompiledModule compile(String digest, byte[] bytes) {
        try {
            return compileOrFallBack(digest, bytes);
        } catch (InvalidModuleException | UncheckedIOException expected) {
            throw expected;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError engine) {
            log.warn("compiling {} failed inside the engine", digest, engine);
            throw new InvalidModuleException(digest + " could not be compiled: the engine failed (the node's log has the details)", engine);
        }
    }

    @Override
    public long guestMemoryInUse() {
        return host.memory().used();
    }

    private CompiledModule compileOrFallBack(String digest, byte[] bytes) {
        WasmModule module = parse(digest, bytes, host.limits().module());
        if (cache == null) {
            return new ChicoryModule(module, InterpreterMachine::new, List.of(), host);
        }
        int hitsBefore = cache.hits();
        try {
            return new ChicoryModule(module, compile(module, InterpreterFallback.FAIL), cache.warnings(module.digest()), host);
        } catch (RuntimeException refused) {
            if (cache.hits() > hitsBefore) {
                cache.evict(module.digest()); // an entry Chicory cannot load: compile afresh
                return compileOrFallBack(digest, bytes);
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

    /** How many cache entries failed their HMAC and were compiled afresh; for tests. */
    int cacheRejections() {
        return cache.rejected();
    }

    private Function<Instance, Machine> compile(WasmModule module, InterpreterFallback fallback) {
        return MachineFactoryCompiler.builder(module).withInterpreterFallback(fallback).withCache(cache).compile();
    }

    private static WasmModule parse(String digest, byte[] bytes, ModuleLimits limits) {
        try {
            ModuleScanner.check(bytes, limits);
        } catch (ModuleCheckException e) {
            throw new InvalidModuleException(digest + " is refused: " + e.getMessage(), e);
        }
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
