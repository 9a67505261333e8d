package dev.nanolet.agent.http;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;

/**
 * A guest's stdout, held as a list of chunks that the response body wraps in place instead of
 * copying. Chunks start at {@value #FIRST_CHUNK} bytes (a small answer costs one small array) and
 * double up to {@value #MAX_CHUNK}: output never grows by copying, and no chunk is ever a humongous
 * object for the G1 collector (half a region: 512 KiB with the node's 512 MiB heap), however much a
 * guest writes. It holds at most {@code max} bytes: a write past that fails (the guest sees
 * {@code EIO}), as does every later write, marks the output {@link #overflowed()} and drops what
 * was held, so a module that writes without end costs its own request, never the node's heap.
 * Past its first {@value #UNCOUNTED} bytes it also reserves each chunk in the node's
 * {@link ResponseBudget}; a chunk that does not fit ends the output the same way, and
 * {@link #refused()} tells the two apart. What it reserved is given back when it drops its chunks,
 * else by whoever writes the response ({@link #release()}), and at the latest when the output is
 * collected: a response dropped before its body was subscribed (a client gone at that moment) never
 * leaks its share of the node's budget.
 */
final class GuestOutput extends OutputStream {

    static final int FIRST_CHUNK = 4 * 1024;
    static final int MAX_CHUNK = 64 * 1024;
    /** Bytes of each output that are not counted in the node's budget: nearly every answer fits. */
    static final int UNCOUNTED = 256 * 1024;
    private static final Cleaner CLEANER = Cleaner.create();

    private final List<byte[]> chunks = new ArrayList<>(4);
    private final int max;
    private final ByteBudget.Reservation budget;
    private byte[] current;
    private int used; // bytes of current in use
    private int length;
    private int allocated; // bytes of every chunk so far
    private volatile boolean overflowed;
    private volatile boolean refused;
    private volatile boolean writing;

    /** An output of at most {@code max} bytes whose chunks past {@link #UNCOUNTED} are reserved in {@code budget}. */
    GuestOutput(int max, ByteBudget.Reservation budget) {
        this.max = max;
        this.budget = budget;
    }

    /** An output outside any node budget. */
    GuestOutput(int max) {
        this(max, new ByteBudget(Long.MAX_VALUE).reserve(0));
    }

    @Override
    public void write(int b) throws IOException {
        room(1);
        if (current == null || used == current.length) {
            next();
        }
        current[used++] = (byte) b;
        length++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        room(len);
        while (len > 0) {
            if (current == null || used == current.length) {
                next();
            }
            int n = Math.min(len, current.length - used);
            System.arraycopy(b, off, current, used, n);
            used += n;
            off += n;
            len -= n;
            length += n;
        }
    }

    /**
     * Fails a write past the cap, and every write after it. The chunks are dropped then: the answer
     * is a 502 whatever else the guest does, so a flood that goes on writing until its deadline holds
     * nothing (otherwise four of them keep 4 × the cap alive, long enough to be promoted to the old
     * generation and collected only by a marking cycle).
     */
    private void room(int len) throws IOException {
        if (overflowed || len > max - length) {
            throw drop("response above " + max + " bytes");
        }
    }

    private IOException drop(String why) {
        overflowed = true;
        chunks.clear();
        current = null;
        budget.release();
        return new IOException(why);
    }

    /**
     * Starts a chunk twice the size of the last one (at most {@link #MAX_CHUNK}), never larger than
     * what is left below the cap, reserving in the node's budget what of it lies past {@link #UNCOUNTED}.
     */
    private void next() throws IOException {
        int size = current == null ? FIRST_CHUNK : Math.min(MAX_CHUNK, current.length * 2);
        size = Math.max(1, Math.min(size, max - length));
        int counted = Math.min(size, allocated + size - UNCOUNTED);
        if (counted > 0) {
            if (!budget.receive(counted)) {
                refused = true;
                throw drop("the node holds as many response bytes as it can");
            }
            if (allocated <= UNCOUNTED) { // the first chunk that reserves: only outputs that reserve are watched
                CLEANER.register(this, budget::release); // the action holds the reservation, not this output
            }
        }
        allocated += size;
        current = new byte[size];
        used = 0;
        chunks.add(current);
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Whether the output ended because the node's {@link ResponseBudget} had no room left, not at its own cap. */
    boolean refused() {
        return refused;
    }

    /** Gives back what the output reserved in the node's budget; only the first call counts. */
    void release() {
        budget.release();
    }

    /** The response is being written from these chunks: whoever writes it gives the reservation back when done. */
    void writing() {
        writing = true;
    }

    /** {@link #release()}, unless the response is being written from the chunks ({@link #writing()}). */
    void releaseUnlessWriting() {
        if (!writing) {
            release();
        }
    }

    /** Bytes written. */
    int length() {
        return length;
    }

    /** The chunks in order; each is full but the last, which holds {@link #used(int)} bytes. */
    List<byte[]> chunks() {
        return chunks;
    }

    /** Bytes of chunk {@code i} in use. */
    int used(int i) {
        return i == chunks.size() - 1 ? used : chunks.get(i).length;
    }

    /**
     * The first {@code min(length, limit)} bytes in one array (from index 0, which may be longer):
     * the first chunk itself when it holds them (no copy), else a copy of at most {@code limit}
     * bytes. The CGI header block is read from it.
     */
    byte[] head(int limit) {
        int want = Math.min(length, limit);
        if (chunks.isEmpty() || used(0) >= want) {
            return chunks.isEmpty() ? new byte[0] : chunks.getFirst();
        }
        byte[] head = new byte[want];
        int at = 0;
        for (int i = 0; at < want; i++) {
            int n = Math.min(used(i), want - at);
            System.arraycopy(chunks.get(i), 0, head, at, n);
            at += n;
        }
        return head;
    }
}
