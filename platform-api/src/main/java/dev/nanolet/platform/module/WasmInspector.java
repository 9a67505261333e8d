package dev.nanolet.platform.module;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExportSection;
import dev.nanolet.platform.BadRequestException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The only class that imports Chicory: parses and validates a module and says what it imports and exports. */
final class WasmInspector {
    static final String WASI_MODULE = "wasi_snapshot_preview1";

    private WasmInspector() {}

    /** What a valid module declares. */
    record Facts(List<String> imports, List<String> exports) {
        Facts {
            imports = List.copyOf(imports);
            exports = List.copyOf(exports);
        }

        boolean wasi() {
            return imports.stream().anyMatch(i -> i.startsWith(WASI_MODULE + "."));
        }
    }

    /**
     * Parses {@code file}.
     *
     * @throws BadRequestException with the parser's reason when it is not a valid module
     */
    static Facts inspect(Path file) {
        WasmModule module;
        try {
            module = Parser.parse(file);
        } catch (RuntimeException | AssertionError e) {
            // Chicory's parser checks some malformed code with assert, which JVMs run with -ea throw
            throw new BadRequestException("not a valid WebAssembly module: " + reason(e));
        }
        List<String> imports = module.importSection().stream().map(i -> i.module() + "." + i.name()).toList();
        ExportSection exportSection = module.exportSection();
        List<String> exports = new ArrayList<>();
        for (int i = 0; i < exportSection.exportCount(); i++) {
            exports.add(exportSection.getExport(i).name());
        }
        if (Stream.concat(imports.stream(), exports.stream()).anyMatch(n -> n.indexOf('\0') >= 0)) {
            // valid in Wasm, but PostgreSQL cannot store it (and no WASI host looks such a name up)
            throw new BadRequestException("not a valid WebAssembly module: an import or export name contains a NUL character");
        }
        return new Facts(imports, exports);
    }

    private static String reason(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
