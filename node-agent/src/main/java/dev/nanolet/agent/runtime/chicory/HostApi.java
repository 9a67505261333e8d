package dev.nanolet.agent.runtime.chicory;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ValType;
import dev.nanolet.agent.runtime.BindingError;
import dev.nanolet.agent.runtime.Bindings;
import dev.nanolet.agent.runtime.Bindings.Op;
import dev.nanolet.agent.runtime.Bindings.Reply;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code nanolet} host functions of one run (the ABI in docs/bindings.md): bytes in and out of
 * the guest's memory, the calls themselves on the run's {@link Bindings}. Nothing the guest passes
 * traps: a pointer out of bounds is {@link BindingError#BAD_REQUEST}. A result larger than the
 * guest's buffer is held and fetched with {@code nanolet.result}, so no statement runs twice.
 */
final class HostApi {

    static final String MODULE = "nanolet";
    private static final ValType I = ValType.I32;
    /** name → signature and the binding type it works on (null: any). */
    private static final Map<String, Signature> FUNCTIONS = Map.of(
            "pg_query", new Signature(FunctionType.of(List.of(I, I, I, I, I, I), List.of(I)), "postgres"),
            "pg_execute", new Signature(FunctionType.of(List.of(I, I, I, I), List.of(ValType.I64)), "postgres"),
            "kv_get", new Signature(FunctionType.of(List.of(I, I, I, I, I, I), List.of(I)), "kv"),
            "kv_set", new Signature(FunctionType.of(List.of(I, I, I, I, I, I), List.of(I)), "kv"),
            "kv_delete", new Signature(FunctionType.of(List.of(I, I, I, I), List.of(I)), "kv"),
            "kv_exists", new Signature(FunctionType.of(List.of(I, I, I, I), List.of(I)), "kv"),
            "kv_keys", new Signature(FunctionType.of(List.of(I, I, I, I, I, I), List.of(I)), "kv"),
            "commit", new Signature(FunctionType.of(List.of(I, I), List.of(I)), null),
            "result", new Signature(FunctionType.of(List.of(I, I), List.of(I)), null),
            "last_error", new Signature(FunctionType.of(List.of(I, I), List.of(I)), null));

    private final Bindings bindings;
    private byte[] held;
    private byte[] lastError = new byte[0];

    HostApi(Bindings bindings) {
        this.bindings = bindings;
    }

    /** Whether {@code nanolet.<name>} is a function of the ABI. */
    static boolean provides(String name) {
        return FUNCTIONS.containsKey(name);
    }

    /** The binding types whose functions the module imports. */
    static Set<String> bindingTypes(WasmModule module) {
        Set<String> types = new TreeSet<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import anImport = module.importSection().getImport(i);
            Signature s = anImport.module().equals(MODULE) ? FUNCTIONS.get(anImport.name()) : null;
            if (s != null && s.bindingType() != null) {
                types.add(s.bindingType());
            }
        }
        return Collections.unmodifiableSet(types);
    }

    /** Whether the module imports anything from {@code nanolet}. */
    static boolean imported(WasmModule module) {
        for (int i = 0; i < module.importSection().importCount(); i++) {
            if (module.importSection().getImport(i).module().equals(MODULE)) {
                return true;
            }
        }
        return false;
    }

    HostFunction[] functions() {
        return FUNCTIONS.entrySet().stream()
                .map(e -> new HostFunction(MODULE, e.getKey(), e.getValue().signature(), (instance, args) ->
                        new long[] {call(e.getKey(), instance.memory(), args)}))
                .toArray(HostFunction[]::new);
    }

    private long call(String function, Memory memory, long[] a) {
        try {
            return switch (function) {
                case "pg_query" -> withResult(op(Op.PG_QUERY, memory, a, false), memory, a[4], a[5]);
                case "pg_execute" -> value(op(Op.PG_EXECUTE, memory, a, false));
                case "kv_get" -> withResult(op(Op.KV_GET, memory, a, false), memory, a[4], a[5]);
                case "kv_set" -> value(op(Op.KV_SET, memory, a, true));
                case "kv_delete" -> value(op(Op.KV_DELETE, memory, a, false));
                case "kv_exists" -> value(op(Op.KV_EXISTS, memory, a, false));
                case "kv_keys" -> withResult(op(Op.KV_KEYS, memory, a, false), memory, a[4], a[5]);
                case "commit" -> value(bindings.call(Op.COMMIT, string(memory, a[0], a[1]), new byte[0], new byte[0]));
                case "result" -> held == null
                        ? error(Reply.error(BindingError.BAD_REQUEST, "no result is held"))
                        : copy(held, memory, a[0], a[1], true);
                case "last_error" -> copy(lastError, memory, a[0], a[1], false);
                default -> throw new IllegalStateException(function);
            };
        } catch (OutOfBounds e) {
            return error(Reply.error(BindingError.BAD_REQUEST, e.getMessage()));
        }
    }

    private Reply op(Op op, Memory memory, long[] a, boolean withValue) {
        String binding = string(memory, a[0], a[1]);
        byte[] first = bytes(memory, a[2], a[3]);
        byte[] second = withValue ? bytes(memory, a[4], a[5]) : new byte[0];
        return bindings.call(op, binding, first, second);
    }

    private long value(Reply reply) {
        return reply.error() == null ? reply.value() : error(reply);
    }

    private long withResult(Reply reply, Memory memory, long ptr, long cap) {
        if (reply.error() != null) {
            return error(reply);
        }
        held = null;
        return copy(reply.data(), memory, ptr, cap, true);
    }

    /** Writes {@code data} if it fits (else holds it when {@code hold}, or writes what fits); returns its whole length. */
    private long copy(byte[] data, Memory memory, long ptr, long capacity, boolean hold) {
        long cap = capacity & 0xFFFFFFFFL;
        check(memory, ptr, cap);
        if (data.length <= cap) {
            memory.write((int) (ptr & 0xFFFFFFFFL), data);
            if (hold) {
                held = null;
            }
        } else if (hold) {
            held = data;
        } else {
            memory.write((int) (ptr & 0xFFFFFFFFL), data, 0, (int) cap);
        }
        return data.length;
    }

    private long error(Reply reply) {
        lastError = String.valueOf(reply.message()).getBytes(UTF_8);
        return reply.error().code();
    }

    private static String string(Memory memory, long ptr, long len) {
        return new String(bytes(memory, ptr, len), UTF_8);
    }

    private static byte[] bytes(Memory memory, long ptr, long len) {
        check(memory, ptr, len);
        return len == 0 ? new byte[0] : memory.readBytes((int) (ptr & 0xFFFFFFFFL), (int) len);
    }

    private static void check(Memory memory, long ptr, long len) {
        long size = (long) memory.pages() * Memory.PAGE_SIZE;
        long p = ptr & 0xFFFFFFFFL;
        long n = len & 0xFFFFFFFFL;
        if (p + n > size) {
            throw new OutOfBounds("buffer " + p + "+" + n + " is outside the module's memory (" + size + " bytes)");
        }
    }

    /** @param bindingType the binding type the function works on; null for any */
    private record Signature(FunctionType signature, String bindingType) {}

    private static final class OutOfBounds extends RuntimeException {
        OutOfBounds(String message) {
            super(message, null, false, false);
        }
    }
}
