package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;

/**
 * Chicory's own memory, capped by its {@link MemoryLimits}, that remembers whether the guest asked
 * to grow past the cap. Chicory answers such a {@code memory.grow} with -1 as the spec says; the
 * guest usually dies of it a moment later (malloc returns NULL, abort traps), and this flag lets
 * the run report {@code MEMORY_LIMIT} rather than a bare trap. Everything else is delegated.
 */
final class CapRecordingMemory implements Memory {

    private final Memory delegate;
    private volatile boolean growRefused;

    CapRecordingMemory(MemoryLimits limits) {
        this.delegate = new ByteArrayMemory(limits);
    }

    boolean growRefused() {
        return growRefused;
    }

    @Override
    public int grow(int pages) {
        int previous = delegate.grow(pages);
        if (previous == -1) {
            growRefused = true;
        }
        return previous;
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
