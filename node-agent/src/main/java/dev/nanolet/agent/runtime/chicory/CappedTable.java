package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TableLimits;

/**
 * One instance's own table. Chicory's {@link TableInstance} grows the {@link TableLimits} of the
 * {@link Table} it was given, and the parsed module is shared by every run, so each instance gets a
 * fresh copy of the declared table here: a {@code table.grow} in one run is never seen by the next.
 * Growing past {@code cap} elements (or by a negative or overflowing amount) answers -1 as the spec
 * allows, instead of trying to allocate it.
 */
final class CappedTable extends TableInstance {

    private CappedTable(Table table, int initialValue) {
        super(table, initialValue);
    }

    /** A fresh table as {@code declared} says, its maximum narrowed to {@code cap} elements. */
    static CappedTable of(Table declared, int initialValue, int cap) {
        TableLimits limits = declared.limits();
        long max = Math.max(limits.min(), Math.min(limits.max(), cap));
        var fresh = new Table(declared.elementType(), new TableLimits(limits.min(), max), declared.initialize());
        return new CappedTable(fresh, initialValue);
    }

    @Override
    public int grow(int delta, int value, Instance instance) {
        if (delta < 0 || (long) size() + delta > limits().max()) {
            return -1;
        }
        return super.grow(delta, value, instance);
    }
}
