package dev.nanolet.limits;

/**
 * How large a module may declare itself, checked by {@link ModuleScanner} before any engine
 * allocates what the declarations ask for. A value of zero or less means the default: this lets a
 * configuration framework bind an absent value as 0. Defaults are generous for compiled C, Rust and
 * Go modules and far below what hurts a node; docs/runtime.md gives the reasoning for each.
 *
 * @param maxFunctions functions, imported and defined ({@code max-functions}, default 100,000)
 * @param maxImports imports ({@code max-imports}, default 1,000; WASI preview 1 has 46 functions)
 * @param maxExports exports ({@code max-exports}, default 10,000)
 * @param maxTables tables ({@code max-tables}, default 4)
 * @param maxTableElements the declared initial size of a table and the elements of one element
 *     segment ({@code max-table-elements}, default 100,000)
 * @param maxDataSegments data segments ({@code max-data-segments}, default 10,000)
 * @param maxElementSegments element segments ({@code max-element-segments}, default 10,000)
 * @param maxFunctionBodyBytes bytes of one function's code ({@code max-function-body-bytes}, default 1 MiB:
 *     Chicory holds about 50 bytes of heap per byte of code while it parses and compiles)
 * @param maxCodeBytes bytes of all function code together ({@code max-code-bytes}, default 32 MiB)
 * @param maxLocals locals of one function ({@code max-locals}, default 4,096: every call of a function
 *     holds all its locals, so this bounds the memory of deep recursion)
 */
public record ModuleLimits(
        int maxFunctions,
        int maxImports,
        int maxExports,
        int maxTables,
        int maxTableElements,
        int maxDataSegments,
        int maxElementSegments,
        int maxFunctionBodyBytes,
        int maxCodeBytes,
        int maxLocals) {

    /** Every limit at its default. */
    public static final ModuleLimits DEFAULTS = new ModuleLimits(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Linear memories a module may declare: one, so that one cap bounds all its memory (no multi-memory). */
    public static final int MAX_MEMORIES = 1;

    public ModuleLimits {
        maxFunctions = orDefault(maxFunctions, 100_000);
        maxImports = orDefault(maxImports, 1_000);
        maxExports = orDefault(maxExports, 10_000);
        maxTables = orDefault(maxTables, 4);
        maxTableElements = orDefault(maxTableElements, 100_000);
        maxDataSegments = orDefault(maxDataSegments, 10_000);
        maxElementSegments = orDefault(maxElementSegments, 10_000);
        maxFunctionBodyBytes = orDefault(maxFunctionBodyBytes, 1 << 20);
        maxCodeBytes = orDefault(maxCodeBytes, 32 << 20);
        maxLocals = orDefault(maxLocals, 4_096);
    }

    private static int orDefault(int value, int fallback) {
        return value > 0 ? value : fallback;
    }
}
