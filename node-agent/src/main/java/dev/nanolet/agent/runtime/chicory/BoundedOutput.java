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
 *
 * <p>Once cut, or once its target refused bytes (the data plane's response buffer is full), the
 * stream {@link #refuses} every further write: {@link WasiFileSystem} then answers the guest's
 * {@code fd_write} with {@code EIO} before Chicory copies the guest's buffer out of its memory, so a
 * guest that keeps writing to a full stdout costs the node no allocation per call.
 */
final class BoundedOutput extends OutputStream {

    private final OutputStream target;
    private final String name;
    private final long max;
    private final boolean marker;
    private final Deadline deadline;
    private long written;
    private volatile boolean cut;
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
            pass(b, off, len);
            written += len;
            return;
        }
        pass(b, off, (int) room);
        written = max;
        cut = true;
        if (marker) {
            target.write(("\n[" + name + " cut at " + max + " bytes]\n").getBytes(StandardCharsets.UTF_8));
        }
        throw new IOException(name + " is above its limit of " + max + " bytes");
    }

    /** Writes to the target; a target that refuses bytes takes no more. */
    private void pass(byte[] b, int off, int len) throws IOException {
        try {
            target.write(b, off, len);
        } catch (IOException e) {
            cut = true;
            throw e;
        }
    }

    /** Whether every further write fails: cut at the cap, or refused by the target. */
    boolean refuses() {
        return cut;
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
