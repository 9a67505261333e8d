package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;

/**
 * Chicory's own memory, capped by its {@link MemoryLimits}, whose pages are charged to the node's
 * {@link MemoryBudget} before they are allocated, and that remembers whether the guest asked to grow
 * past the cap or past what the budget had left. Either {@code memory.grow} answers -1 as the spec
 * says; the guest usually dies of it a moment later (malloc returns NULL, abort traps), and the flags
 * let the run report {@code MEMORY_LIMIT} or {@code NODE_MEMORY} rather than a bare trap. Everything
 * else is delegated.
 */
final class CapRecordingMemory implements Memory {

    private final Memory delegate;
    private final MemoryBudget.Account account;
    private volatile boolean growRefused;
    private volatile boolean budgetRefused;

    /** @throws BudgetRefusedException when the budget cannot hold the memory's initial pages */
    CapRecordingMemory(MemoryLimits limits, MemoryBudget.Account account) {
        this.account = account;
        if (!account.take(bytes(limits.initialPages()))) {
            throw new BudgetRefusedException();
        }
        this.delegate = new ByteArrayMemory(limits);
    }

    boolean growRefused() {
        return growRefused;
    }

    boolean budgetRefused() {
        return budgetRefused;
    }

    @Override
    public int grow(int pages) {
        boolean fits = pages >= 0 && pages <= delegate.maximumPages() - delegate.pages();
        if (!fits) {
            growRefused = true;
            return -1;
        }
        if (pages > 0 && !account.take(bytes(pages))) {
            budgetRefused = true;
            return -1;
        }
        return delegate.grow(pages);
    }

    private static long bytes(int pages) {
        return (long) pages * PAGE_SIZE;
    }

    /** The node's budget had no room for the memory's initial pages: the run cannot start now. */
    static final class BudgetRefusedException extends RuntimeException {
        BudgetRefusedException() {
            super(null, null, false, false);
        }
    }

    @Override
    public int pages() {
        return delegate.pages();
    }

    @Override
    public int initialPages() {
        return delegate.initialPages();
    }

    @Override
    public int maximumPages() {
        return delegate.maximumPages();
    }

    @Override
    public boolean shared() {
        return delegate.shared();
    }

    @Override
    public Object lock(int a) {
        return delegate.lock(a);
    }

    @Override
    public int waitOn(int a, int b, long c) {
        return delegate.waitOn(a, b, c);
    }

    @Override
    public int waitOn(int a, long b, long c) {
        return delegate.waitOn(a, b, c);
    }

    @Override
    public int notify(int a, int b) {
        return delegate.notify(a, b);
    }

    @Override
    public void initialize(Instance a, DataSegment[] b) {
        delegate.initialize(a, b);
    }

    @Override
    public void initialize(Instance a, DataSegment[] b, int c) {
        delegate.initialize(a, b, c);
    }

    @Override
    public void initPassiveSegment(int a, int b, int c, int d) {
        delegate.initPassiveSegment(a, b, c, d);
    }

    @Override
    public void write(int a, byte[] b, int c, int d) {
        delegate.write(a, b, c, d);
    }

    @Override
    public byte read(int a) {
        return delegate.read(a);
    }

    @Override
    public byte[] readBytes(int a, int b) {
        return delegate.readBytes(a, b);
    }

    @Override
    public void writeI32(int a, int b) {
        delegate.writeI32(a, b);
    }

    @Override
    public int readInt(int a) {
        return delegate.readInt(a);
    }

    @Override
    public void writeLong(int a, long b) {
        delegate.writeLong(a, b);
    }

    @Override
    public long readLong(int a) {
        return delegate.readLong(a);
    }

    @Override
    public void writeShort(int a, short b) {
        delegate.writeShort(a, b);
    }

    @Override
    public short readShort(int a) {
        return delegate.readShort(a);
    }

    @Override
    public long readU16(int a) {
        return delegate.readU16(a);
    }

    @Override
    public void writeByte(int a, byte b) {
        delegate.writeByte(a, b);
    }

    @Override
    public void writeF32(int a, float b) {
        delegate.writeF32(a, b);
    }

    @Override
    public long readF32(int a) {
        return delegate.readF32(a);
    }

    @Override
    public float readFloat(int a) {
        return delegate.readFloat(a);
    }

    @Override
    public void writeF64(int a, double b) {
        delegate.writeF64(a, b);
    }

    @Override
    public double readDouble(int a) {
        return delegate.readDouble(a);
    }

    @Override
    public long readF64(int a) {
        return delegate.readF64(a);
    }

    @Override
    public void copy(int a, int b, int c) {
        delegate.copy(a, b, c);
    }

    @Override
    public void zero() {
        delegate.zero();
    }

    @Override
    public void fill(byte a, int b, int c) {
        delegate.fill(a, b, c);
    }

    @Override
    public void drop(int a) {
        delegate.drop(a);
    }
}
