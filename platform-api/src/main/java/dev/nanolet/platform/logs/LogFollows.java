package dev.nanolet.platform.logs;

import dev.nanolet.platform.TooManyRequestsException;
import dev.nanolet.platform.web.ApiLimits;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;

/**
 * The followed logs each credential holds open on this instance, at most {@link ApiLimits#maxLogFollowsPerToken()}:
 * each is a thread, a connection to every node running a replica and a token check every 2 s, and one token could
 * open thousands. A follow takes a {@link Place} before it starts and gives it back once, however it ends.
 */
@Component
class LogFollows {
    /** What a refused follow is told to wait: follows of a client that left end within a check or two. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final Map<String, Integer> byCaller = new ConcurrentHashMap<>();
    private final int max;

    LogFollows(ApiLimits limits) {
        this.max = limits.maxLogFollowsPerToken();
    }

    /** @throws TooManyRequestsException when {@code caller} already holds the most follows it may */
    Place take(String caller) {
        byCaller.compute(caller, (c, held) -> {
            int now = held == null ? 0 : held;
            if (now >= max) {
                throw new TooManyRequestsException("this token already follows " + max + " logs on this instance "
                        + "(nanolet.api.max-log-follows-per-token); end one, or read without follow", RETRY_AFTER_SECONDS);
            }
            return now + 1;
        });
        return new Place(caller);
    }

    /** One follow's place; {@link #release} gives it back the first time and does nothing after. */
    final class Place {
        private final String caller;
        private final AtomicBoolean released = new AtomicBoolean();

        private Place(String caller) {
            this.caller = caller;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                byCaller.computeIfPresent(caller, (c, held) -> held <= 1 ? null : held - 1);
            }
        }
    }
}
