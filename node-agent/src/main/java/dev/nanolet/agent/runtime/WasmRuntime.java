package dev.nanolet.agent.runtime;

/**
 * Turns Wasm bytes into something that can run. The only door to a Wasm engine: the one
 * implementation, {@code runtime.chicory.ChicoryRuntime}, is the only code that imports Chicory.
 *
 * <p>Every implementation passes {@code WasmRuntimeContract} (test sources) with real
 * {@code .wasm} fixtures.
 */
public interface WasmRuntime {

    /**
     * Parses, validates and compiles a module. Costly: callers do it once per digest and keep the
     * result. Thread-safe.
     *
     * @param digest the module's {@code sha256:} digest, used as the key of any on-disk cache
     * @param bytes the module's bytes, already verified against the digest
     * @throws InvalidModuleException if the bytes are not a valid Wasm module this runtime can run
     */
    CompiledModule compile(String digest, byte[] bytes);

    /**
     * Bytes of linear memory the runs of this runtime's modules hold now, counted against the
     * node's budget ({@link RuntimeLimits#guestMemoryBytes()}).
     */
    long guestMemoryInUse();
}
