package dev.nanolet.agent.http;

import java.io.ByteArrayOutputStream;

/** A guest's stdout, whose bytes the response body wraps in place instead of copying. */
final class GuestOutput extends ByteArrayOutputStream {

    GuestOutput() {
        super(8192);
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return count;
    }
}
