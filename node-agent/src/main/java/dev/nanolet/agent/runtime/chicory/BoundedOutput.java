package dev.nanolet.agent.runtime.chicory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a guest writes to stdout or stderr, on its way to the invocation's stream: at most
 * {@code max} bytes per run, and nothing once the run's deadline passed. Both refusals are an
 * {@link IOException}, which WASI turns into {@code EIO} and which ends the host call at once: one
 * {@code fd_write} with a huge iovec list stops at the first write after the deadline, and the
 * guest then dies of the interrupt at its next call or loop back-edge. When {@code marker} is set,
 * a line saying where the output was cut ends it (useful for logs, not for a CGI response).
 */
final class BoundedOutput extends OutputStream {

    private final OutputStream target;
    private final String name;
    private final long max;
    private final boolean marker;
    private final Deadline deadline;
    private long written;
    private boolean cut;
    private volatile boolean refusedLate;

    BoundedOutput(OutputStream target, String name, long max, boolean marker, Deadline deadline) {
        this.target = target;
        this.name = name;
        this.max = max;
        this.marker = marker;
        this.deadline = deadline;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (deadline.fired() || Thread.currentThread().isInterrupted()) {
            refusedLate = true;
            throw new InterruptedIOException("the run's deadline passed");
        }
        if (cut) {
            throw new IOException(name + " is above its limit of " + max + " bytes");
        }
        long room = max - written;
        if (len <= room) {
            target.write(b, off, len);
            written += len;
            return;
        }
        target.write(b, off, (int) room);
        written = max;
        cut = true;
        if (marker) {
            target.write(("\n[" + name + " cut at " + max + " bytes]\n").getBytes(StandardCharsets.UTF_8));
        }
        throw new IOException(name + " is above its limit of " + max + " bytes");
    }

    /** Whether a write was refused because the deadline had passed: the guest's output is incomplete. */
    boolean refusedLate() {
        return refusedLate;
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }
}
