package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.log.SystemLogger;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.WasmModule;
import dev.nanolet.agent.runtime.Bindings;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.agent.runtime.RunResult.Outcome;
import dev.nanolet.agent.runtime.RuntimeLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parsed and compiled module; each run builds a fresh instance with its own WASI, memory and
 * tables, output bounded by the {@link RuntimeLimits}. Whatever fails inside the engine becomes a
 * {@code TRAP} with a plain reason: no Java exception text reaches a client.
 */
final class ChicoryModule implements CompiledModule {

    private static final Logger log = LoggerFactory.getLogger(ChicoryModule.class);
    /**
     * The logger Chicory's WASI would pick itself, made once: without one, every
     * {@code WasiPreview1.Builder.build()} first asks whether it runs on Android by loading
     * {@code android.os.Build}, which costs every run a class-path search and a {@code ClassNotFoundException}.
     */
    private static final SystemLogger WASI_LOG = new SystemLogger();

    private final WasmModule module;
    private final Function<Instance, Machine> machines;
    private final List<String> warnings;
    private final Host host;
    private final Set<String> bindingTypes;
    private final boolean hostApi;

    ChicoryModule(WasmModule module, Function<Instance, Machine> machines, List<String> warnings, Host host) {
        this.module = module;
        this.machines = machines;
        this.warnings = List.copyOf(warnings);
        this.host = host;
        this.bindingTypes = HostApi.bindingTypes(module);
        this.hostApi = HostApi.imported(module);
    }

    @Override
    public Set<String> bindingTypes() {
        return bindingTypes;
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public RunResult run(Invocation invocation) {
        Optional<MemoryCap> cap = MemoryCap.of(module, invocation.memoryLimitMiB());
        if (cap.isPresent() && !cap.get().startFits()) {
            return new RunResult(Outcome.MEMORY_LIMIT, -1, cap.get().startMessage());
        }
        Optional<String> unbound = unbound(invocation.bindings());
        if (unbound.isPresent()) {
            return new RunResult(Outcome.TRAP, -1, unbound.get());
        }
        var memory = new AtomicReference<CapRecordingMemory>();
        RunResult result;
        var deadline = new Deadline(host.timer(), invocation.timeout());
        RuntimeLimits limits = host.limits();
        var stdout = new BoundedOutput(invocation.stdout(), "stdout", limits.maxStdoutBytes(), false, deadline);
        var stderr = new BoundedOutput(invocation.stderr(), "stderr", limits.maxStderrBytes(), true, deadline);
        var account = host.memory().open(invocation.tenant());
        try (account; var wasi = WasiPreview1.builder().withLogger(WASI_LOG).withOptions(options(invocation, stdout, stderr)).build();
                var files = new WasiFileSystem(invocation.directories(), host.clock(), host.files().of(invocation.tenant()), invocation.stdin(),
                        fd -> fd == 1 ? stdout.refuses() : fd == 2 && stderr.refuses())) {
            HostFunction[] imports = files.bind(wasi.toHostFunctions());
            if (hostApi) {
                imports = Stream.concat(Stream.of(imports), Stream.of(new HostApi(invocation.bindings()).functions()))
                        .toArray(HostFunction[]::new);
            }
            result = execute(imports, cap, memory, account, invocation.started());
        } finally {
            deadline.close();
        }
        boolean cutByDeadline = stdout.refusedLate() || stderr.refusedLate();
        if (deadline.fired() && (result.outcome() == Outcome.TRAP || cutByDeadline)) {
            result = new RunResult(Outcome.TIMEOUT, -1, "interrupted after " + invocation.timeout().toMillis() + " ms");
        }
        flush(invocation);
        return memoryRefused(result, cap, memory.get(), account);
    }

    /** A failure after a refused {@code memory.grow} is reported as the refusal, the failure after it in brackets. */
    private static RunResult memoryRefused(RunResult result, Optional<MemoryCap> cap, CapRecordingMemory memory, MemoryBudget.Account account) {
        if (memory == null || result.succeeded() || result.outcome() == Outcome.TIMEOUT || result.outcome() == Outcome.NODE_MEMORY) {
            return result;
        }
        if (memory.growRefused()) {
            return new RunResult(Outcome.MEMORY_LIMIT, -1, cap.orElseThrow().growMessage() + " (then: " + describe(result) + ")");
        }
        if (memory.budgetRefused()) {
            return new RunResult(refused(account), -1,
                    "the module tried to grow its memory, and " + account.refusal() + " (then: " + describe(result) + ")");
        }
        return result;
    }

    /** A refusal the run alone caused is its memory limit; one that other runs caused, the node's. */
    private static Outcome refused(MemoryBudget.Account account) {
        return account.refusalLasts() ? Outcome.MEMORY_LIMIT : Outcome.NODE_MEMORY;
    }

    /** Why the module cannot start with these bindings: it imports functions of a binding type none is declared of. */
    private Optional<String> unbound(Bindings bindings) {
        if (hostApi && bindings.types().isEmpty()) {
            return Optional.of("the module imports the nanolet host API, but the deployment declares no bindings (docs/bindings.md)");
        }
        var missing = bindingTypes.stream().filter(t -> !bindings.types().contains(t)).toList();
        return missing.isEmpty() ? Optional.empty() : Optional.of("the module imports the nanolet " + String.join(" and ", missing)
                + " functions, but the deployment declares no binding of that type (docs/bindings.md)");
    }

    private RunResult execute(HostFunction[] wasi, Optional<MemoryCap> cap, AtomicReference<CapRecordingMemory> memory,
            MemoryBudget.Account account, Runnable started) {
        try {
            var builder = Instance.builder(module)
                    .withMachineFactory(machines)
                    .withImportValues(ImportValues.builder().addFunction(wasi).build())
                    .withTableFactory((table, init) -> CappedTable.of(table, init, host.limits().maxTableElements()))
                    .withStart(false);
            if (cap.isPresent()) {
                builder.withMemoryLimits(cap.get().limits()).withMemoryFactory(limits -> {
                    memory.set(new CapRecordingMemory(limits, account)); // or the budget refuses, and the run does not start
                    started.run(); // before the module's start function, which is guest code too
                    return memory.get();
                });
            } else {
                started.run();
            }
            builder.build().export("_start").apply();
            return RunResult.exited(0);
        } catch (WasiExitException exit) {
            return RunResult.exited(exit.exitCode());
        } catch (CapRecordingMemory.BudgetRefusedException full) {
            return new RunResult(refused(account), -1, "the module's memory could not be made: " + account.refusal());
        } catch (ChicoryException trap) {
            return new RunResult(Outcome.TRAP, -1, String.valueOf(trap.getMessage()));
        } catch (StackOverflowError deep) {
            return new RunResult(Outcome.TRAP, -1, "call stack exhausted");
        } catch (OutOfMemoryError heap) {
            log.warn("a run of {} ran the node out of heap", module.digest());
            return new RunResult(Outcome.TRAP, -1, "the engine ran out of memory");
        } catch (LinkageError broken) {
            // a class of the node (or of Chicory) that cannot be loaded or linked, e.g. with the node out of file
            // handles: this run fails, and the pool's thread, the node and later runs go on
            log.error("a run of {} needed a class the node could not load or link", module.digest(), broken);
            return new RunResult(Outcome.TRAP, -1, "the node could not load a class it needs to run the module (an internal error; "
                    + "the node's log has the details)");
        } catch (RuntimeException engine) {
            log.warn("a run of {} failed inside the engine", module.digest(), engine);
            return new RunResult(Outcome.TRAP, -1, "the engine failed (an internal error; the node's log has the details)");
        }
    }

    private WasiOptions options(Invocation invocation, BoundedOutput stdout, BoundedOutput stderr) {
        var options = WasiOptions.builder()
                .withArguments(invocation.args())
                .withStdin(invocation.stdin(), false)
                .withStdout(stdout, false)
                .withStderr(stderr, false)
                .withClock(host.clock())
                .withRandom(host.random());
        invocation.env().forEach(options::withEnvironment);
        return options.build();
    }

    private static String describe(RunResult result) {
        return result.outcome() == Outcome.EXITED ? "exit code " + result.exitCode() : result.message();
    }

    private static void flush(Invocation invocation) {
        try {
            invocation.stdout().flush();
            invocation.stderr().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("flushing the guest's output", e);
        }
    }
}
