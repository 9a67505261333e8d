package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.Optional;

/**
 * The module's own memory declaration narrowed to a cap: the declared minimum stays (the module's
 * data and stack are laid out for it), the maximum becomes the smaller of declared and cap.
 */
record MemoryCap(MemoryLimits declared, int capPages) {

    static final int PAGES_PER_MIB = 16;

    /** Empty when the module has no memory of its own (nothing to cap). */
    static Optional<MemoryCap> of(WasmModule module, int memoryLimitMiB) {
        return module.memorySection()
                .filter(section -> section.memoryCount() > 0)
                .map(section -> new MemoryCap(section.getMemory(0).limits(), memoryLimitMiB * PAGES_PER_MIB));
    }

    boolean startFits() {
        return declared.initialPages() <= capPages;
    }

    MemoryLimits limits() {
        return new MemoryLimits(declared.initialPages(), Math.min(declared.maximumPages(), capPages));
    }

    String startMessage() {
        return "the module needs " + mib(declared.initialPages()) + " MiB of memory at start; its limit is "
                + mib(capPages) + " MiB";
    }

    String growMessage() {
        return "the module tried to grow its memory past its limit of " + mib(capPages) + " MiB";
    }

    private static String mib(int pages) {
        return pages % PAGES_PER_MIB == 0
                ? Integer.toString(pages / PAGES_PER_MIB)
                : String.format("%.2f", pages / (double) PAGES_PER_MIB);
    }
}
