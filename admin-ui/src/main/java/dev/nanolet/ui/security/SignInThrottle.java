package dev.nanolet.ui.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.nanolet.wire.AddressPrefix;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Failed sign-ins per client address: the first {@link SignInLimits#freeFailures()} in a row cost
 * nothing, then the address waits {@link SignInLimits#waitAfter} — doubling with each failure — before
 * its next try, and while a try is under way no other starts beyond the free ones left, so parallel
 * requests cannot outrun the count. A success ends the run of failures, not the address's count: after
 * {@link SignInLimits#maxFailures()} failures in all it waits after each further one, successes or not,
 * so signing in with a token of one's own between guesses buys no more of them. Each address is its own
 * ({@link #key}), so one attacker slows down no one on another; the table holds at most
 * {@link SignInLimits#maxAddresses()} and forgets an address {@link SignInLimits#forgetAfter()} after
 * its last failure or the end of its wait.
 *
 * <p>Limits of the defence (docs/security.md, "Dashboard"): an IPv6 client counts by its /64, which is
 * often a whole LAN (SLAAC, cloud subnets) rather than one host, and every link-local client shares one
 * key, so there one machine's failures make the others wait, as behind a proxy that is not trusted
 * ({@link TrustedProxies}).
 */
@Component
class SignInThrottle {
    /**
     * One address: failures since its last success ({@code run}) and since it was last forgotten
     * ({@code total}), tries under way, and when it may try again.
     */
    private record Client(int run, int total, int underWay, Instant waitUntil, Instant forgetAt) {
        Client withUnderWay(int underWay) {
            return new Client(run, total, Math.max(0, underWay), waitUntil, forgetAt);
        }
    }

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

    /**
     * The key of a client address: an IPv4 address (also one mapped into IPv6, {@code ::ffff:a.b.c.d}),
     * or the /64 an IPv6 address is in — often a whole LAN, and every link-local client shares one.
     */
    static String key(InetAddress address) {
        byte[] bytes = AddressPrefix.unmapped(address.getAddress());
        try {
            return bytes.length == 4 ? InetAddress.getByAddress(bytes).getHostAddress()
                    : InetAddress.getByAddress(AddressPrefix.network(bytes, 64)).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
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
            Client c = client == null ? new Client(0, 0, 0, now, now.plus(limits.forgetAfter())) : client;
            if (now.isBefore(c.waitUntil())) {
                wait[0] = Duration.between(now, c.waitUntil());
                return c;
            }
            if (c.underWay() >= Math.max(1, limits.freeFailures() - limits.counted(c.run(), c.total()))) {
                wait[0] = Duration.ofSeconds(1);
                return c;
            }
            return c.withUnderWay(c.underWay() + 1);
        });
        return wait[0].isZero() ? Optional.empty() : Optional.of(wait[0]);
    }

    /** The token was refused: one more failure, and from the last free one on a wait. */
    void failed(String key) {
        Instant now = clock.instant();
        clients.asMap().compute(key, (k, client) -> {
            Client c = client == null ? new Client(0, 0, 1, now, now) : client;
            int run = c.run() + 1;
            int total = c.total() + 1;
            Instant waitUntil = now.plus(limits.waitAfter(limits.counted(run, total)));
            return new Client(run, total, Math.max(0, c.underWay() - 1), waitUntil, waitUntil.plus(limits.forgetAfter()));
        });
    }

    /**
     * The token was accepted: the run of failures ends, and its wait unless the address's count
     * alone makes it wait; that count stays, and so do the other tries under way.
     */
    void succeeded(String key) {
        Instant now = clock.instant();
        clients.asMap().computeIfPresent(key, (k, c) -> {
            Instant waitUntil = limits.waitAfter(limits.counted(0, c.total())).isZero() && c.waitUntil().isAfter(now) ? now : c.waitUntil();
            return new Client(0, c.total(), Math.max(0, c.underWay() - 1), waitUntil, c.forgetAt());
        });
    }

    /** The try ended without a verdict on the token (platform-api unreachable, the client went away). */
    void abandoned(String key) {
        clients.asMap().computeIfPresent(key, (k, c) -> c.withUnderWay(c.underWay() - 1));
    }

    /** How many addresses are tracked (for tests: after pending maintenance). */
    long tracked() {
        clients.cleanUp();
        return clients.estimatedSize();
    }
}
