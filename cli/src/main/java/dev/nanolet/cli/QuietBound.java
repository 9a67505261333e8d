package dev.nanolet.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An answer's body that fails with {@link Stalled}, closed, once its reader waited {@code quiet} for a byte and none
 * came: a server or proxy that stopped sending an event stream without ending the connection held {@code logs -f} for
 * ever. Only the time spent waiting in a read counts, so a reader held elsewhere (printing to a pipe nobody reads) never
 * stalls its stream. The wait is watched by a virtual thread of its own, which closing this stream stops.
 */
final class QuietBound extends FilterInputStream {
    /** The reader waited the bound for a byte and none came. */
    static final class Stalled extends IOException {
        Stalled() {
            super("nothing came");
        }
    }

    private static final long NOT_WAITING = Long.MIN_VALUE;

    private final long quiet;
    private final Thread watch;
    private volatile long waitingSince = NOT_WAITING;
    private volatile boolean stalled;

    QuietBound(InputStream body, Duration quiet) {
        super(body);
        this.quiet = quiet.toNanos();
        this.watch = Thread.ofVirtual().name("quiet-bound").start(this::watch);
    }

    @Override
    public int read() throws IOException {
        return waited(super::read);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return waited(() -> super.read(b, off, len));
    }

    @Override
    public void close() throws IOException {
        watch.interrupt();
        super.close();
    }

    /** One read of the body. */
    private interface Read {
        int read() throws IOException;
    }

    private int waited(Read read) throws IOException {
        waitingSince = System.nanoTime();
        try {
            return read.read();
        } catch (IOException e) {
            throw stalled ? new Stalled() : e;
        } finally {
            waitingSince = NOT_WAITING;
        }
    }

    private void watch() {
        try {
            for (;;) {
                long since = waitingSince;
                long left = since == NOT_WAITING ? quiet : since + quiet - System.nanoTime();
                if (left <= 0 && waitingSince == since) {
                    stalled = true;
                    in.close(); // the read waiting ends with an IOException, said as Stalled
                    return;
                }
                TimeUnit.NANOSECONDS.sleep(Math.max(left, 1));
            }
        } catch (InterruptedException closed) {
            // closed by its reader
        } catch (IOException e) {
            // the JDK's body stream does not fail to close
        }
    }
}
