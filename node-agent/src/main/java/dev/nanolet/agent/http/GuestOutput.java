package dev.nanolet.agent.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A guest's stdout, whose bytes the response body wraps in place instead of copying. It holds at
 * most {@code max} bytes: a write past that fails (the guest sees {@code EIO}) and marks the
 * output {@link #overflowed()}, so a module that writes without end costs its own request, never
 * the node's heap.
 */
final class GuestOutput extends OutputStream {

    private final Buffer buffer = new Buffer();
    private final int max;
    private volatile boolean overflowed;

    GuestOutput(int max) {
        this.max = max;
    }

    @Override
    public void write(int b) throws IOException {
        room(1);
        buffer.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        room(len);
        buffer.write(b, off, len);
    }

    private void room(int len) throws IOException {
        if (len > max - buffer.size()) {
            overflowed = true;
            throw new IOException("response above " + max + " bytes");
        }
    }

    boolean overflowed() {
        return overflowed;
    }

    byte[] buffer() {
        return buffer.array();
    }

    int length() {
        return buffer.size();
    }

    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(8192);
        }

        byte[] array() {
            return buf;
        }
    }
}
