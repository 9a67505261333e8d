package dev.nanolet.oci;

import java.util.Set;

/** The media types that mark a Wasm module published as an OCI artifact. */
public final class WasmMediaTypes {

    /**
     * Layers that hold the module: the CNCF Wasm artifact layout ({@code application/wasm}), wasm-to-oci
     * (Krustlet's), and the {@code module.wasm.image} layout of container runtimes' Wasm shims.
     */
    public static final Set<String> LAYERS = Set.of(
            "application/wasm",
            "application/vnd.wasm.content.layer.v1+wasm",
            "application/vnd.module.wasm.content.layer.v1+wasm");

    /** Config blobs of Wasm artifacts (recorded; a Wasm layer is what decides). */
    public static final Set<String> CONFIGS = Set.of(
            "application/vnd.wasm.config.v0+json",
            "application/vnd.wasm.config.v1+json",
            "application/vnd.module.wasm.config.v1+json");

    private WasmMediaTypes() {}
}
