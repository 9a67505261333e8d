package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import dev.nanolet.agent.runtime.DiskQuota;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;

/**
 * Moves bytes between a file (or stdin) and the guest's iovecs in bounded chunks: a guest that declares a
 * 2 GiB iovec costs the host one chunk of heap at a time, and an interrupted run (its deadline)
 * stops between chunks.
 */
final class GuestIo {

    private static final int CHUNK = 64 * 1024;
    /** Linux's text for {@code EDQUOT}: a write the run's disk quota refuses fails as one the host's refused. */
    static final String QUOTA_EXCEEDED = "Disk quota exceeded";
    /** Linux's text for {@code EFBIG}. */
    static final String TOO_LARGE = "File too large";
    /**
     * The largest file a guest may make or seek in, ext4's (2^32 - 1 blocks of 4 KiB, 4 KiB short of 16 TiB), whatever the volume's file
     * system allows: past it a write, {@code fd_allocate} or {@code fd_filestat_set_size} is EFBIG and a seek EINVAL,
     * before anything is charged, so that an offset near 2^63 neither overflows a sum nor reaches the host.
     */
    static final long MAX_FILE_SIZE = (1L << 44) - 4096;

    private GuestIo() {}

    /** Reads into the iovecs at {@code position}, or at the channel's position when it is negative; returns bytes read. */
    static long read(Memory memory, int iovs, int count, FileChannel channel, long position) throws IOException {
        byte[] chunk = new byte[CHUNK];
        return each(memory, iovs, count, position, (address, want, at) -> {
            var buffer = ByteBuffer.wrap(chunk, 0, want);
            int n = interruptible(() -> at < 0 ? channel.read(buffer) : channel.read(buffer, at));
            if (n > 0) {
                memory.write(address, chunk, 0, n);
            }
            return n;
        });
    }

    /** Reads a stream (the run's stdin) into the iovecs; returns bytes read. */
    static long read(Memory memory, int iovs, int count, InputStream in) throws IOException {
        byte[] chunk = new byte[CHUNK];
        return each(memory, iovs, count, -1, (address, want, at) -> {
            int n = in.read(chunk, 0, want);
            if (n > 0) {
                memory.write(address, chunk, 0, n);
            }
            return n;
        });
    }

    /**
     * Writes the iovecs at {@code position}, or at the channel's position when it is negative; returns bytes
     * written. Each step ({@link DiskQuota#changing}) first charges {@code quota} the bytes it adds to the file, and gives back what the host
     * then refused to write: a refused step ends the write short, or with {@value #QUOTA_EXCEEDED} when nothing
     * was written. As on Linux, a write stops at {@link #MAX_FILE_SIZE} (short), and one that starts there is EFBIG.
     * The step holds its quota's shared lock from the size read until the bytes land, no longer: a truncation
     * between the two would give back bytes the write then puts back uncharged, however little it grows the file
     * (an overwrite within the old size grows the file it cut); the guest's bytes are copied out before it.
     */
    static long write(Memory memory, int iovs, int count, FileChannel channel, long position, DiskQuota quota) throws IOException {
        String[] refused = {null};
        long written = each(memory, iovs, count, position, (address, want, at) -> {
            long from = at < 0 ? channel.position() : at;
            if (from >= MAX_FILE_SIZE) {
                refused[0] = TOO_LARGE;
                return 0;
            }
            int fits = (int) Math.min(want, MAX_FILE_SIZE - from);
            var buffer = ByteBuffer.wrap(memory.readBytes(address, fits)); // a trap here has charged nothing
            try (var step = quota.changing()) { // no truncation between the size read and the bytes landing
                long size = channel.size();
                long growth = from + fits - size;
                long ticket = quota.take(growth);
                if (ticket < 0) {
                    refused[0] = QUOTA_EXCEEDED;
                    return 0;
                }
                try {
                    while (buffer.hasRemaining()) {
                        int n = interruptible(() -> at < 0 ? channel.write(buffer) : channel.write(buffer, at + buffer.position()));
                        if (n <= 0) {
                            break;
                        }
                    }
                } finally {
                    // nothing written leaves a hole unmade: the file grew only if a byte landed
                    quota.refund(growth - (buffer.position() == 0 ? 0 : Math.max(0, from + buffer.position() - size)), ticket);
                }
                return buffer.position();
            }
        });
        if (written == 0 && refused[0] != null) {
            throw new FileSystemException(null, null, refused[0]);
        }
        return written;
    }

    /** Moves up to {@code want} bytes at guest {@code address} (file offset {@code at}, or -1); returns how many moved. */
    private interface Step {
        int move(int address, int want, long at) throws IOException;
    }

    /** Runs {@code step} over the iovecs chunk by chunk, stopping at the first short move. */
    private static long each(Memory memory, int iovs, int count, long position, Step step) throws IOException {
        long total = 0;
        for (int i = 0; i < count; i++) {
            int base = memory.readInt(iovs + i * 8);
            long len = Integer.toUnsignedLong(memory.readInt(iovs + i * 8 + 4));
            for (long done = 0; done < len; ) {
                checkInterrupt();
                int want = (int) Math.min(CHUNK, len - done);
                int n = step.move(base + (int) done, want, position < 0 ? -1 : position + total);
                if (n <= 0) {
                    return total;
                }
                done += n;
                total += n;
                if (n < want) {
                    return total;
                }
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
