package dev.nanolet.limits;

import dev.nanolet.limits.ModuleCheckException.LimitExceeded;
import dev.nanolet.limits.ModuleCheckException.Malformed;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a module's section structure, streaming and without allocating anything it declares, and
 * refuses it when a declared size is above a {@link ModuleLimits} limit or runs past the bytes that
 * follow. It is not a validator: what it passes still goes to the engine's parser, which then only
 * ever allocates what fits the limits. Every vector count is also checked against the bytes left,
 * since each entry takes at least one byte, so a 17-byte module cannot ask for 2 GiB.
 */
public final class ModuleScanner {

    private static final int[] MAGIC = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

    private final Bytes in;
    private final ModuleLimits limits;
    private long functions;
    private long tables;
    private long memories;

    private ModuleScanner(Bytes in, ModuleLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** Checks a module held in memory. */
    public static void check(byte[] module, ModuleLimits limits) {
        new ModuleScanner(new Bytes(new ByteArrayInputStream(module), module.length), limits).scan();
    }

    /** Checks a module in a file, reading it once, front to back. */
    public static void check(Path module, ModuleLimits limits) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(module), 64 * 1024)) {
            new ModuleScanner(new Bytes(in, Files.size(module)), limits).scan();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void scan() {
        for (int expected : MAGIC) {
            if (in.atEnd() || in.u8() != expected) {
                throw new Malformed("not a WebAssembly 1.0 binary module (bad magic header or version)");
            }
        }
        while (!in.atEnd()) {
            int id = in.u8();
            long size = in.u32();
            if (size > in.remaining()) {
                throw new Malformed(Section.name(id) + " section declares " + size + " bytes but only "
                        + in.remaining() + " remain");
            }
            long end = in.position() + size;
            section(id, end);
            if (in.position() > end) {
                throw new Malformed(Section.name(id) + " section is longer than the " + size + " bytes it declares");
            }
            in.skip(end - in.position(), end, Section.name(id) + " section");
        }
    }

    private void section(int id, long end) {
        switch (id) {
            case Section.CUSTOM -> in.skip(in.u32(), end, "the custom section's name");
            case Section.TYPE -> types(end);
            case Section.GLOBAL -> count(end, "global section");
            case Section.IMPORT -> imports(end);
            case Section.FUNCTION -> addFunctions(count(end, "function section"));
            case Section.TABLE -> {
                long n = count(end, "table section");
                for (long i = 0; i < n; i++) {
                    table();
                }
            }
            case Section.MEMORY -> {
                long n = count(end, "memory section");
                for (long i = 0; i < n; i++) {
                    memory();
                }
            }
            case Section.EXPORT -> exports(end);
            case Section.ELEMENT -> elements(end);
            case Section.CODE -> code(end);
            case Section.DATA -> data(end);
            case Section.DATA_COUNT -> limit("max-data-segments", in.u32(), limits.maxDataSegments(), "data segments");
            default -> { } // start, tag and unknown sections: only their size matters here
        }
    }

    /**
     * Walks each function type, so that its parameter and result vectors are counted against the
     * bytes left too: an engine sizes a list by such a count before it reads the entries.
     */
    private void types(long end) {
        long n = count(end, "type section");
        for (long i = 0; i < n; i++) {
            if (in.u8() != 0x60) {
                throw new Malformed("type " + i + " is not a function type");
            }
            for (String vector : new String[] {"parameters", "results"}) {
                long values = count(end, "the " + vector + " of type " + i);
                for (long v = 0; v < values; v++) {
                    valueType();
                }
            }
        }
    }

    private void exports(long end) {
        long n = count(end, "export section");
        limit("max-exports", n, limits.maxExports(), "exports");
        for (long i = 0; i < n; i++) {
            in.skip(in.u32(), end, "an export's name");
            in.u8();
            in.u32();
        }
    }

    private void imports(long end) {
        long n = count(end, "import section");
        limit("max-imports", n, limits.maxImports(), "imports");
        for (long i = 0; i < n; i++) {
            in.skip(in.u32(), end, "an import's module name");
            in.skip(in.u32(), end, "an import's name");
            switch (in.u8()) {
                case 0x00 -> {
                    in.u32();
                    addFunctions(1);
                }
                case 0x01 -> table();
                case 0x02 -> memory();
                case 0x03 -> {
                    valueType();
                    in.u8();
                }
                case 0x04 -> {
                    in.u8();
                    in.u32();
                }
                default -> throw new Malformed("import " + i + " has an unknown kind");
            }
        }
    }

    private void addFunctions(long n) {
        functions += n;
        limit("max-functions", functions, limits.maxFunctions(), "functions");
    }

    private void table() {
        valueType();
        long min = limitsMin();
        tables++;
        limit("max-tables", tables, limits.maxTables(), "tables");
        limit("max-table-elements", min, limits.maxTableElements(), "elements in table " + (tables - 1) + " at start");
    }

    private void memory() {
        limitsMin();
        memories++;
        if (memories > ModuleLimits.MAX_MEMORIES) {
            throw new LimitExceeded("multi-memory", memories, ModuleLimits.MAX_MEMORIES,
                    "the module declares more than one linear memory (the multi-memory feature), which Nanolet does not run");
        }
    }

    /** Reads a table's or memory's limits and answers the minimum. */
    private long limitsMin() {
        int flags = in.u8();
        if (flags > 0x07) {
            throw new Malformed("unknown limits flags " + flags);
        }
        int bits = (flags & 0x04) != 0 ? 64 : 32;
        long min = in.unsigned(bits);
        if ((flags & 0x01) != 0) {
            in.unsigned(bits);
        }
        return min;
    }

    private void valueType() {
        int type = in.u8();
        if (type == 0x63 || type == 0x64) {
            in.skipSigned(); // (ref null? heaptype)
        }
    }

    private void elements(long end) {
        long n = count(end, "element section");
        limit("max-element-segments", n, limits.maxElementSegments(), "element segments");
        for (long i = 0; i < n; i++) {
            long flags = in.u32();
            if (flags > 7) {
                throw new Malformed("element segment " + i + " has unknown flags " + flags);
            }
            if (flags == 2 || flags == 6) {
                in.u32();
            }
            if ((flags & 0x01) == 0) {
                ConstantExpression.skip(in);
            }
            if ((flags & 0x03) != 0) {
                in.u8(); // element kind or reference type
            }
            long items = count(end, "element segment " + i);
            limit("max-table-elements", items, limits.maxTableElements(), "elements in element segment " + i);
            for (long item = 0; item < items; item++) {
                if ((flags & 0x04) == 0) {
                    in.u32();
                } else {
                    ConstantExpression.skip(in);
                }
            }
        }
    }

    private void code(long end) {
        limit("max-code-bytes", end - in.position(), limits.maxCodeBytes(), "bytes of function code");
        long n = count(end, "code section");
        for (long i = 0; i < n; i++) {
            long size = in.u32();
            limit("max-function-body-bytes", size, limits.maxFunctionBodyBytes(), "bytes in the body of function " + i);
            long bodyEnd = in.position() + size;
            if (bodyEnd > end) {
                throw new Malformed("the body of function " + i + " declares " + size + " bytes but only "
                        + (end - in.position()) + " remain");
            }
            long groups = count(bodyEnd, "the locals of function " + i);
            long locals = 0;
            for (long g = 0; g < groups; g++) {
                locals += in.u32();
                limit("max-locals", locals, limits.maxLocals(), "locals in function " + i);
                valueType();
            }
            in.skip(bodyEnd - in.position(), bodyEnd, "the body of function " + i);
        }
    }

    private void data(long end) {
        long n = count(end, "data section");
        limit("max-data-segments", n, limits.maxDataSegments(), "data segments");
        for (long i = 0; i < n; i++) {
            long flags = in.u32();
            if (flags == 2) {
                in.u32();
            } else if (flags > 2) {
                throw new Malformed("data segment " + i + " has unknown flags " + flags);
            }
            if (flags != 1) {
                ConstantExpression.skip(in);
            }
            in.skip(in.u32(), end, "data segment " + i);
        }
    }

    /** A vector's length, which cannot be more than the bytes left before {@code end}. */
    private long count(long end, String what) {
        long n = in.u32();
        if (n > end - in.position()) {
            throw new Malformed(what + " declares " + n + " entries but only " + (end - in.position()) + " bytes remain");
        }
        return n;
    }

    private static void limit(String limit, long value, long max, String what) {
        if (value > max) {
            throw new LimitExceeded(limit, value, max, "the module declares " + value + " " + what);
        }
    }
}
