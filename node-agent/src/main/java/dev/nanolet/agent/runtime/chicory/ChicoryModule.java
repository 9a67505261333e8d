package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.WasmModule;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.agent.runtime.RunResult.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** A parsed and compiled module; each run builds a fresh instance with its own WASI and memory. */
final class ChicoryModule implements CompiledModule {

    private final WasmModule module;
    private final Function<Instance, Machine> machines;
    private final List<String> warnings;
    private final Host host;

    ChicoryModule(WasmModule module, Function<Instance, Machine> machines, List<String> warnings, Host host) {
        this.module = module;
        this.machines = machines;
        this.warnings = List.copyOf(warnings);
        this.host = host;
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
        var memory = new AtomicReference<CapRecordingMemory>();
        RunResult result;
        try (var wasi = WasiPreview1.builder().withOptions(options(invocation)).build();
                var files = new WasiFileSystem(invocation.directories(), host.clock())) {
            var deadline = new Deadline(host.timer(), invocation.timeout());
            try {
                result = execute(files.bind(wasi.toHostFunctions()), cap, memory);
            } finally {
                deadline.close();
            }
            if (deadline.fired() && result.outcome() == Outcome.TRAP) {
                result = new RunResult(Outcome.TIMEOUT, -1, "interrupted after " + invocation.timeout().toMillis() + " ms");
            }
        }
        flush(invocation);
        boolean refused = memory.get() != null && memory.get().growRefused();
        return refused && !result.succeeded() && result.outcome() != Outcome.TIMEOUT
                ? new RunResult(Outcome.MEMORY_LIMIT, -1, cap.orElseThrow().growMessage() + " (then: " + describe(result) + ")")
                : result;
    }

    private RunResult execute(HostFunction[] wasi, Optional<MemoryCap> cap, AtomicReference<CapRecordingMemory> memory) {
        try {
            var builder = Instance.builder(module)
                    .withMachineFactory(machines)
                    .withImportValues(ImportValues.builder().addFunction(wasi).build())
                    .withStart(false);
            cap.ifPresent(c -> builder.withMemoryLimits(c.limits()).withMemoryFactory(limits -> {
                memory.set(new CapRecordingMemory(limits));
                return memory.get();
            }));
            builder.build().export("_start").apply();
            return RunResult.exited(0);
        } catch (WasiExitException exit) {
            return RunResult.exited(exit.exitCode());
        } catch (ChicoryException trap) {
            return new RunResult(Outcome.TRAP, -1, String.valueOf(trap.getMessage()));
        } catch (StackOverflowError deep) {
            return new RunResult(Outcome.TRAP, -1, "call stack exhausted");
        }
    }

    private WasiOptions options(Invocation invocation) {
        var options = WasiOptions.builder()
                .withArguments(invocation.args())
                .withStdin(invocation.stdin(), false)
                .withStdout(invocation.stdout(), false)
                .withStderr(invocation.stderr(), false)
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
