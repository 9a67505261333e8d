package dev.nanolet.limits;

import dev.nanolet.limits.ModuleCheckException.Malformed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A forward-only reader of a module's bytes that knows where it is and how many bytes are left. */
final class Bytes {

    private final InputStream in;
    private final long length;
    private long position;

    Bytes(InputStream in, long length) {
        this.in = in;
        this.length = length;
    }

    long position() {
        return position;
    }

    long remaining() {
        return length - position;
    }

    boolean atEnd() {
        return position >= length;
    }

    int u8() {
        if (atEnd()) {
            throw new Malformed("unexpected end of the module at byte " + position);
        }
        try {
            int b = in.read();
            if (b < 0) {
                throw new Malformed("unexpected end of the module at byte " + position);
            }
            position++;
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An unsigned LEB128 number of at most {@code bits} bits. */
    long unsigned(int bits) {
        long result = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift >= bits + 7) {
                throw new Malformed("a number at byte " + position + " is longer than " + bits + " bits");
            }
            int b = u8();
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (bits < 64 && (result >>> bits) != 0) {
                    throw new Malformed("a number at byte " + position + " is larger than " + bits + " bits");
                }
                return result;
            }
        }
    }

    long u32() {
        return unsigned(32);
    }

    /** Skips a signed LEB128 number (its value is never needed here). */
    void skipSigned() {
        for (int i = 0; i < 10; i++) {
            if ((u8() & 0x80) == 0) {
                return;
            }
        }
        throw new Malformed("a number at byte " + position + " is longer than 64 bits");
    }

    /** Skips {@code n} bytes that must lie before {@code end}. */
    void skip(long n, long end, String what) {
        if (n > end - position) {
            throw new Malformed(what + " declares " + n + " bytes but only " + (end - position) + " remain");
        }
        try {
            long left = n;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new Malformed("unexpected end of the module at byte " + position);
                    }
                    skipped = 1;
                }
                left -= skipped;
                position += skipped;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
