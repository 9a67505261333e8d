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
    final AtomicInteger compilations = new AtomicInteger();
    volatile List<String> warnings = List.of();

    @Override
    public CompiledModule compile(String digest, byte[] bytes) {
        compilations.incrementAndGet();
        Function<Invocation, RunResult> behaviour = behaviours.get(new String(bytes, StandardCharsets.UTF_8));
        if (behaviour == null) {
            throw new InvalidModuleException("unknown fake module", null);
        }
        List<String> w = warnings;
        return new CompiledModule() {
            @Override
            public RunResult run(Invocation invocation) {
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
