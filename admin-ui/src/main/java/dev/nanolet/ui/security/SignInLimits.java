package dev.nanolet.ui.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How failed sign-ins slow a client address down ({@link SignInThrottle}; docs/admin-ui.md, "Configuration").
 *
 * @param freeFailures failures in a row an address may have before it must wait; a success ends the run
 *     (env {@code NANOLET_UI_SIGN_IN_FREE_FAILURES})
 * @param maxFailures failures an address may have, successes or not, until it is forgotten: beyond them it waits
 *     after every failure as after its free ones, so that signing in with a token of one's own buys no more guesses
 *     (env {@code NANOLET_UI_SIGN_IN_MAX_FAILURES})
 * @param lockout the first wait, after the last free failure; it doubles with each failure after that
 *     (env {@code NANOLET_UI_SIGN_IN_LOCKOUT})
 * @param maxLockout the longest wait (env {@code NANOLET_UI_SIGN_IN_MAX_LOCKOUT})
 * @param forgetAfter how long after its last failure (and the end of its wait) an address starts afresh; at least
 *     {@code maxLockout}
 *     (env {@code NANOLET_UI_SIGN_IN_FORGET_AFTER})
 * @param maxAddresses addresses tracked at once; beyond it, those seen least are forgotten first
 *     (env {@code NANOLET_UI_SIGN_IN_MAX_ADDRESSES})
 */
@ConfigurationProperties("nanolet.sign-in")
record SignInLimits(Integer freeFailures, Integer maxFailures, Duration lockout, Duration maxLockout, Duration forgetAfter, Integer maxAddresses) {
    SignInLimits {
        freeFailures = freeFailures == null ? 5 : freeFailures;
        maxFailures = maxFailures == null ? 20 : maxFailures;
        lockout = lockout == null ? Duration.ofSeconds(10) : lockout;
        maxLockout = maxLockout == null ? Duration.ofMinutes(15) : maxLockout;
        forgetAfter = forgetAfter == null ? Duration.ofHours(1) : forgetAfter;
        maxAddresses = maxAddresses == null ? 10_000 : maxAddresses;
        if (freeFailures < 0 || maxFailures < 1 || maxAddresses < 1 || !lockout.isPositive() || maxLockout.compareTo(lockout) < 0
                || forgetAfter.compareTo(maxLockout) < 0) {
            throw new IllegalArgumentException("nanolet.sign-in: free-failures must be >= 0, max-failures and max-addresses >= 1, "
                    + "lockout positive, max-lockout at least lockout and forget-after at least max-lockout");
        }
    }

    /**
     * The failures that decide the wait: the run since the last success, or, once the address has had
     * {@code maxFailures} in all, its free ones and as many more as it has had beyond {@code maxFailures}.
     */
    int counted(int run, int total) {
        return Math.max(run, total - maxFailures + freeFailures);
    }

    /**
     * The wait after {@code failures} failures (none while they are free): {@code lockout} after the last free
     * one (the first, without free ones), doubling, at most {@code maxLockout}.
     */
    Duration waitAfter(int failures) {
        if (failures == 0 || failures < freeFailures) {
            return Duration.ZERO;
        }
        Duration wait = lockout.multipliedBy(1L << Math.min(failures - Math.max(1, freeFailures), 20));
        return wait.compareTo(maxLockout) > 0 ? maxLockout : wait;
    }
}
