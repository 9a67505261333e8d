package dev.nanolet.agent.runtime;

import java.util.List;
import java.util.Set;

/**
 * A validated, compiled module. Cheap to instantiate; thread-safe: each {@link #run} makes its
 * own fresh instance, so concurrent runs share nothing but the compiled code.
 */
public interface CompiledModule {

    /**
     * Runs the module's {@code _start} once in a fresh instance on the calling thread, with the
     * invocation's WASI view of the world, and returns when the guest exits, traps or trips a
     * limit. Never throws for anything the guest does: a guest failure is a {@link RunResult}.
     * The calling thread must not be an event-loop thread.
     */
    RunResult run(Invocation invocation);

    /**
     * The binding types whose {@code nanolet} host functions the module imports ({@code postgres},
     * {@code kv}; docs/bindings.md), so a replica whose deployment declares none of that type fails at start.
     */
    Set<String> bindingTypes();

    /** Things the operator should know, for example functions that fell back to the interpreter. */
    List<String> warnings();
}
