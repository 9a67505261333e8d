package dev.nanolet.ui.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Failed sign-ins per client address: the first {@link SignInLimits#freeFailures()} cost nothing,
 * then the address waits {@link SignInLimits#waitAfter} — doubling with each failure — before its
 * next try, and while a try is under way no other starts beyond the free ones left, so parallel
 * requests cannot outrun the count. A success forgets the address. Each address is its own
 * (an IPv6 client by its /64, which one host usually holds whole), so one attacker slows down no
 * one else; the table holds at most {@link SignInLimits#maxAddresses()} and forgets an address
 * {@link SignInLimits#forgetAfter()} after its last failure or the end of its wait.
 */
@Component
class SignInThrottle {
    /** One address: failures so far, tries under way, and when it may try again. */
    private record Client(int failures, int underWay, Instant waitUntil, Instant forgetAt) {}

    private final SignInLimits limits;
    private final Clock clock;
    private final Cache<String, Client> clients;

    SignInThrottle(SignInLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.clients = Caffeine.newBuilder()
                .maximumSize(limits.maxAddresses())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run) // eviction is a few map operations: on the caller, and at once
                .expireAfter(Expiry.<String, Client>writing((key, client) -> Duration.between(clock.instant(), client.forgetAt())))
                .build();
    }

    /** The key of a client address: an IPv4 address, or the /64 an IPv6 address is in. */
    static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return address.getHostAddress();
    }

    /**
     * Starts a try for {@code key} and answers nothing, or answers how long the address must wait
     * (and starts nothing). Every try started ends with exactly one of {@link #failed},
     * {@link #succeeded} or {@link #abandoned}.
     */
    Optional<Duration> begin(String key) {
        Instant now = clock.instant();
        Duration[] wait = {Duration.ZERO};
        clients.asMap().compute(key, (k, client) -> {
            Client c = client == null ? new Client(0, 0, now, now.plus(limits.forgetAfter())) : client;
            if (now.isBefore(c.waitUntil())) {
                wait[0] = Duration.between(now, c.waitUntil());
                return c;
            }
            if (c.underWay() >= Math.max(1, limits.freeFailures() - c.failures())) {
                wait[0] = Duration.ofSeconds(1);
                return c;
            }
            return new Client(c.failures(), c.underWay() + 1, c.waitUntil(), c.forgetAt());
        });
        return wait[0].isZero() ? Optional.empty() : Optional.of(wait[0]);
    }

    /** The token was refused: one more failure, and from the last free one on a wait. */
    void failed(String key) {
        Instant now = clock.instant();
        clients.asMap().compute(key, (k, client) -> {
            Client c = client == null ? new Client(0, 1, now, now) : client;
            int failures = c.failures() + 1;
            Instant waitUntil = now.plus(limits.waitAfter(failures));
            return new Client(failures, Math.max(0, c.underWay() - 1), waitUntil, waitUntil.plus(limits.forgetAfter()));
        });
    }

    /** The token was accepted: the address starts afresh. */
    void succeeded(String key) {
        clients.invalidate(key);
    }

    /** The try ended without a verdict on the token (platform-api unreachable, the client went away). */
    void abandoned(String key) {
        clients.asMap().computeIfPresent(key, (k, c) -> new Client(c.failures(), Math.max(0, c.underWay() - 1), c.waitUntil(), c.forgetAt()));
    }

    /** How many addresses are tracked (for tests: after pending maintenance). */
    long tracked() {
        clients.cleanUp();
        return clients.estimatedSize();
    }
}
