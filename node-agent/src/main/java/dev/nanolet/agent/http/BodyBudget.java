package dev.nanolet.agent.http;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The node-wide budget of request-body bytes held in memory at once ({@link HttpProperties#bodyBudget()}).
 * Bodies are read whole before a request takes a slot, so without it 100 connections each sending
 * a body of the per-request cap would hold 100 × that cap. A request reserves what it declares
 * ({@code Content-Length}) before a byte is read, a chunked one as its chunks arrive; every
 * reservation is given back exactly once, whichever way the request ends.
 */
@Component
class BodyBudget {

    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(HttpProperties props) {
        this.capacity = props.bodyBudget().toBytes();
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

        /** Counts {@code bytes} more of the body; false if they are past the reservation and the budget has no room for them. */
        synchronized boolean receive(long bytes) {
            received += bytes;
            overdrawn = overdrawn || (received > reserved && !take(received - reserved));
            return !overdrawn;
        }

        /** Whether a chunk found the budget without room: the body was not read whole. */
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
