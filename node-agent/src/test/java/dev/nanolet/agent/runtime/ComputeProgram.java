package dev.nanolet.agent.runtime;

import java.util.List;

/**
 * The compute programs of {@code examples/} (docs/performance.md, "Compute") and what each must print
 * for given arguments, computed here in plain Java: the oracle that every backend's answer is checked
 * against, in {@link WasmRuntimeContract} and in the benchmark.
 */
public enum ComputeProgram {

    /** {@code fib N}: naive recursive Fibonacci. */
    FIB("compute/fib.wasm") {
        @Override
        public String expectedOutput(List<String> args) {
            int n = Integer.parseInt(args.getFirst());
            long previous = 0;
            long current = n == 0 ? 0 : 1;
            for (int i = 2; i <= n; i++) {
                long next = previous + current;
                previous = current;
                current = next;
            }
            return "fib(" + n + ") = " + Long.toUnsignedString(current) + "\n";
        }
    },

    /** {@code sieve N}: the primes below N, counted and summed. */
    SIEVE("compute/sieve.wasm") {
        @Override
        public String expectedOutput(List<String> args) {
            int n = Integer.parseInt(args.getFirst());
            long count = 0;
            long sum = 0;
            for (int i = 2; i < n; i++) {
                if (isPrime(i)) {
                    count++;
                    sum += i;
                }
            }
            return "primes below " + n + ": " + count + ", sum " + sum + "\n";
        }

        private static boolean isPrime(int i) {
            for (int d = 2; (long) d * d <= i; d++) {
                if (i % d == 0) {
                    return false;
                }
            }
            return true;
        }
    },

    /** {@code sqlite-bench ROWS LOOKUPS}: inserts, indexed lookups and a GROUP BY in an in-memory SQLite. */
    SQLITE("sqlite/sqlite-bench.wasm") {
        private static final int KEYS = 1009;

        @Override
        public String expectedOutput(List<String> args) {
            int rows = Integer.parseInt(args.get(0));
            int lookups = Integer.parseInt(args.get(1));
            long[] count = new long[KEYS];
            long[] sumId = new long[KEYS];
            long[] sumLength = new long[KEYS];
            long[] maxId = new long[KEYS];
            for (int i = 1; i <= rows; i++) {
                int k = (int) ((long) i * 7919 % KEYS);
                count[k]++;
                sumId[k] += i;
                sumLength[k] += ("value " + (i * 31 % 1000)).length();
                maxId[k] = i;
            }
            long hits = 0;
            long checksum = 0;
            for (int q = 0; q < lookups; q++) {
                int k = q * 37 % KEYS;
                hits += count[k];
                checksum = checksum * 31 + sumId[k];
            }
            int groups = 0;
            for (int k = 0; k < KEYS; k++) {
                if (count[k] > 0) {
                    groups++;
                    for (long x : new long[] {k, count[k], sumLength[k], maxId[k]}) {
                        checksum = checksum * 31 + x;
                    }
                }
            }
            return "rows=" + rows + " lookups=" + lookups + " hits=" + hits + " groups=" + groups
                    + " checksum=" + Long.toUnsignedString(checksum) + "\n";
        }
    };

    private final String example;

    ComputeProgram(String example) {
        this.example = example;
    }

    /** The module, relative to {@code examples/}. */
    public String example() {
        return example;
    }

    /** What the program prints on stdout when run with these arguments (argv without the program name). */
    public abstract String expectedOutput(List<String> args);
}
