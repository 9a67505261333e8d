package dev.nanolet.agent.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A node-wide budget of bytes held in memory at once: requests reserve from it as their bytes
 * arrive (or before, what they declare) and give their reservation back exactly once, whichever way
 * they end. Two of them: {@link BodyBudget} and {@link ResponseBudget}.
 */
class ByteBudget {

    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    ByteBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Reserves {@code declared} bytes (0 for a chunked body); null if they do not fit now. */
    Reservation reserve(long declared) {
        Reservation r = new Reservation();
        return r.take(declared) ? r : null;
    }

    /** Bytes reserved right now by requests in flight. */
    long held() {
        return held.get();
    }

    long capacity() {
        return capacity;
    }

    private boolean tryAdd(long bytes) {
        long now;
        do {
            now = held.get();
            if (now + bytes > capacity) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    /** What one request holds of the budget; its methods are called from any thread. */
    final class Reservation {
        private long reserved;
        private long received;
        private boolean released;
        private boolean overdrawn;

        private synchronized boolean take(long bytes) {
            if (released || (bytes > 0 && !tryAdd(bytes))) {
                return false;
            }
            reserved += bytes;
            return true;
        }

        /** Counts {@code bytes} more; false if they are past the reservation and the budget has no room for them. */
        synchronized boolean receive(long bytes) {
            received += bytes;
            overdrawn = overdrawn || (received > reserved && !take(received - reserved));
            return !overdrawn;
        }

        /** Whether some bytes found the budget without room. */
        synchronized boolean overdrawn() {
            return overdrawn;
        }

        /** Gives the reservation back; only the first call counts, and nothing is reserved after it. */
        synchronized void release() {
            if (!released) {
                released = true;
                held.addAndGet(-reserved);
            }
        }
    }
}
