package dev.nanolet.agent.runtime;

import java.util.Set;

/**
 * What one run may reach through the {@code nanolet} host API (docs/bindings.md): the deployment's
 * bindings, each by the name the module uses. Supplied per {@link Invocation} by the replica; the
 * runtime only carries bytes between the guest's memory and these calls. Implementations never
 * throw for anything the guest asks: every failure is a {@link Reply} with a {@link BindingError}.
 * Called on the run's own thread, one call at a time.
 */
public interface Bindings {

    /** No bindings: every call answers {@link BindingError#UNDECLARED}. */
    Bindings NONE = new Bindings() {
        @Override
        public Set<String> types() {
            return Set.of();
        }

        @Override
        public Reply call(Op op, String binding, byte[] first, byte[] second) {
            return Reply.error(BindingError.UNDECLARED, "the deployment declares no binding named '" + binding + "'");
        }
    };

    /** The binding types the deployment declares ({@code postgres}, {@code kv}). */
    Set<String> types();

    /**
     * One operation on the binding named {@code binding}.
     *
     * @param first the request (a JSON statement for {@code PG_*}, the key for {@code KV_*}, the prefix for {@code KV_KEYS})
     * @param second the value for {@code KV_SET}, else empty
     */
    Reply call(Op op, String binding, byte[] first, byte[] second);

    /** The operations of the host API, each on one binding. */
    enum Op {
        PG_QUERY("postgres"), PG_EXECUTE("postgres"), KV_GET("kv"), KV_SET("kv"), KV_DELETE("kv"), KV_EXISTS("kv"),
        KV_KEYS("kv"), COMMIT(null);

        private final String type;

        Op(String type) {
            this.type = type;
        }

        /** The binding type this operation works on; null for one that works on any. */
        public String type() {
            return type;
        }
    }

    /**
     * The answer to one call.
     *
     * @param error null on success
     * @param value rows affected, 1/0 for exists, else 0
     * @param data the result bytes (query JSON, kv value, keys JSON), empty if none
     * @param message what went wrong, for the guest to print; null on success
     */
    record Reply(BindingError error, long value, byte[] data, String message) {
        private static final byte[] NONE = new byte[0];

        public Reply {
            data = data == null ? NONE : data;
        }

        public static Reply ok(long value) {
            return new Reply(null, value, NONE, null);
        }

        public static Reply data(byte[] data) {
            return new Reply(null, data.length, data, null);
        }

        public static Reply error(BindingError error, String message) {
            return new Reply(error, 0, NONE, message);
        }
    }
}
