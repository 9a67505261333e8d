package dev.nanolet.agent.replica;

import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.InvalidModuleException;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.agent.runtime.WasmRuntime;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A runtime whose "modules" are behaviours named by their bytes, for lifecycle tests without Wasm. */
final class FakeRuntime implements WasmRuntime {

    final Map<String, Function<Invocation, RunResult>> behaviours = new ConcurrentHashMap<>();
    /** Per behaviour, whether a run starts: a result here ends the run before {@link Invocation#started} (null: it starts). */
    final Map<String, Function<Invocation, RunResult>> refusals = new ConcurrentHashMap<>();
    final AtomicInteger compilations = new AtomicInteger();
    volatile List<String> warnings = List.of();

    @Override
    public CompiledModule compile(String digest, byte[] bytes) {
        compilations.incrementAndGet();
        String name = new String(bytes, StandardCharsets.UTF_8);
        Function<Invocation, RunResult> behaviour = behaviours.get(name);
        if (behaviour == null) {
            throw new InvalidModuleException("unknown fake module", null);
        }
        List<String> w = warnings;
        return new CompiledModule() {
            @Override
            public RunResult run(Invocation invocation) {
                RunResult refused = refusals.getOrDefault(name, i -> null).apply(invocation);
                if (refused != null) {
                    return refused;
                }
                invocation.started().run(); // the behaviour is the guest
                return behaviour.apply(invocation);
            }

            @Override
            public List<String> warnings() {
                return w;
            }

            @Override
            public java.util.Set<String> bindingTypes() {
                return java.util.Set.of();
            }
        };
    }

    @Override
    public long guestMemoryInUse() {
        return 0; // fake modules have no linear memory
    }
}
