package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.Import;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a Nanolet module may import: WASI preview 1 functions and the {@code nanolet} host API
 * ({@link HostApi}), nothing else of the host.
 */
final class WasiImports {

    private static final Set<String> PROVIDED = provided();

    private WasiImports() {}

    /** Reasons the module cannot be linked against WASI preview 1; empty when it can. */
    static List<String> problems(WasmModule module) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import anImport = module.importSection().getImport(i);
            String name = anImport.module() + "." + anImport.name();
            if (anImport.importType() != ExternalType.FUNCTION) {
                problems.add("imports " + name + " (" + anImport.importType() + "); only WASI functions are provided");
            } else if (anImport.module().equals(HostApi.MODULE)) {
                if (!HostApi.provides(anImport.name())) {
                    problems.add("imports " + name + ", which is not a function of the nanolet host API (docs/bindings.md)");
                }
            } else if (!PROVIDED.contains(name)) {
                problems.add("imports " + name + ", which is not a WASI preview 1 function");
            }
        }
        return problems;
    }

    private static Set<String> provided() {
        try (var wasi = WasiPreview1.builder().withOptions(WasiOptions.builder().build()).build()) {
            return Stream.of(wasi.toHostFunctions())
                    .map(HostFunction.class::cast)
                    .map(f -> f.module() + "." + f.name())
                    .collect(Collectors.toUnmodifiableSet());
        }
    }
}
