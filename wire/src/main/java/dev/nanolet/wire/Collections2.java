package dev.nanolet.wire;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Null-tolerant immutable copies used by the records' compact constructors. */
final class Collections2 {
    private Collections2() {}

    static <T> List<T> list(List<T> in) {
        return in == null ? List.of() : List.copyOf(in);
    }

    static <V> Map<String, V> map(Map<String, V> in) {
        return in == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(in));
    }
}
