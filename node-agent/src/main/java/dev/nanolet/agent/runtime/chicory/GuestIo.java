package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;

/**
 * Moves bytes between a file and the guest's iovecs in bounded chunks: a guest that declares a
 * 2 GiB iovec costs the host one chunk of heap at a time, and an interrupted run (its deadline)
 * stops between chunks.
 */
final class GuestIo {

    private static final int CHUNK = 64 * 1024;

    private GuestIo() {}

    /** Reads into the iovecs at {@code position}, or at the channel's position when it is negative; returns bytes read. */
    static long read(Memory memory, int iovs, int count, FileChannel channel, long position) throws IOException {
        long total = 0;
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < count; i++) {
            int base = memory.readInt(iovs + i * 8);
            long len = Integer.toUnsignedLong(memory.readInt(iovs + i * 8 + 4));
            for (long done = 0; done < len; ) {
                checkInterrupt();
                int want = (int) Math.min(CHUNK, len - done);
                var buffer = ByteBuffer.wrap(chunk, 0, want);
                long where = position < 0 ? -1 : position + total;
                int n = interruptible(() -> where < 0 ? channel.read(buffer) : channel.read(buffer, where));
                if (n <= 0) {
                    return total;
                }
                memory.write(base + (int) done, chunk, 0, n);
                done += n;
                total += n;
                if (n < want) {
                    return total;
                }
            }
        }
        return total;
    }

    /** Writes the iovecs at {@code position}, or at the channel's position when it is negative; returns bytes written. */
    static long write(Memory memory, int iovs, int count, FileChannel channel, long position) throws IOException {
        long total = 0;
        for (int i = 0; i < count; i++) {
            int base = memory.readInt(iovs + i * 8);
            long len = Integer.toUnsignedLong(memory.readInt(iovs + i * 8 + 4));
            for (long done = 0; done < len; ) {
                checkInterrupt();
                int want = (int) Math.min(CHUNK, len - done);
                var buffer = ByteBuffer.wrap(memory.readBytes(base + (int) done, want));
                long where = position < 0 ? -1 : position + total;
                while (buffer.hasRemaining()) {
                    int n = interruptible(() -> where < 0 ? channel.write(buffer) : channel.write(buffer, where + buffer.position()));
                    if (n <= 0) {
                        return total + buffer.position();
                    }
                }
                done += want;
                total += want;
            }
        }
        return total;
    }

    private interface Io {
        int run() throws IOException;
    }

    private static int interruptible(Io io) throws IOException {
        try {
            return io.run();
        } catch (ClosedByInterruptException e) {
            throw new ChicoryException("Thread interrupted", e);
        }
    }

    private static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new ChicoryException("Thread interrupted");
        }
    }
}
