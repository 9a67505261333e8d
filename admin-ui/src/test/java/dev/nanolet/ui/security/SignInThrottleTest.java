package dev.nanolet.ui.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.testsupport.MutableClock;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The throttle's rules on their own; {@code SignInThrottlingTest} shows them through the sign-in form. */
class SignInThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(new SignInLimits(3, 6, Duration.ofSeconds(10), Duration.ofSeconds(35), Duration.ofHours(1), 100), clock);

    @Test
    void theFreeFailuresAreFollowedByAWaitThatDoublesUpToTheMaximum() {
        for (int i = 0; i < 3; i++) {
            fail("a");
        }
        assertThat(throttle.begin("a")).contains(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(4));
        assertThat(throttle.begin("a")).contains(Duration.ofSeconds(6));

        for (Duration wait : new Duration[] {Duration.ofSeconds(20), Duration.ofSeconds(35), Duration.ofSeconds(35)}) {
            clock.advance(Duration.ofSeconds(35));
            fail("a");
            assertThat(throttle.begin("a")).contains(wait);
        }
    }

    @Test
    void parallelTriesCannotOutrunTheCount() {
        assertThat(throttle.begin("a")).isEmpty();
        assertThat(throttle.begin("a")).isEmpty();
        assertThat(throttle.begin("a")).isEmpty();
        assertThat(throttle.begin("a")).as("three free tries are under way").contains(Duration.ofSeconds(1));
        throttle.failed("a");
        throttle.failed("a");
        throttle.failed("a");

        assertThat(throttle.begin("a")).contains(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        assertThat(throttle.begin("a")).isEmpty();
        assertThat(throttle.begin("a")).as("after the wait, one try at a time").contains(Duration.ofSeconds(1));
    }

    @Test
    void aSuccessEndsTheRunOfFailuresAndOneTryUnderWayButNotTheOthers() {
        fail("a");
        fail("a");
        assertThat(throttle.begin("a")).isEmpty();
        assertThat(throttle.begin("a")).as("one free failure left").contains(Duration.ofSeconds(1));
        throttle.succeeded("a");

        assertThat(throttle.begin("a")).isEmpty();
        assertThat(throttle.begin("a")).isEmpty();
        assertThat(throttle.begin("a")).isEmpty();
        assertThat(throttle.begin("a")).as("the run of failures is over, three tries under way").contains(Duration.ofSeconds(1));
        throttle.succeeded("a");
        assertThat(throttle.begin("a")).isEmpty();
        assertThat(throttle.begin("a")).as("a success ends one try under way, not all").contains(Duration.ofSeconds(1));
    }

    @Test
    void successesDoNotRaiseTheLongTermAllowance() {
        for (int round = 0; round < 2; round++) {
            fail("a");
            fail("a");
            assertThat(throttle.begin("a")).isEmpty();
            throttle.succeeded("a");
        }
        fail("a");
        fail("a");
        assertThat(throttle.begin("a")).as("6 failures within the hour, successes or not").contains(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        assertThat(throttle.begin("a")).isEmpty();
        throttle.succeeded("a");
        fail("a");
        assertThat(throttle.begin("a")).as("each failure beyond them doubles the wait").contains(Duration.ofSeconds(20));

        clock.advance(Duration.ofSeconds(20).plusHours(1));
        fail("a");
        fail("a");
        assertThat(throttle.begin("a")).as("forgotten an hour after the last failure").isEmpty();
    }

    @Test
    void aTryWithoutAVerdictCostsNothing() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.begin("a")).isEmpty();
            throttle.abandoned("a");
        }
        fail("a");
        fail("a");
        assertThat(throttle.begin("a")).isEmpty();
    }

    @Test
    void theTableHoldsAtMostItsNumberOfAddresses() {
        for (int i = 0; i < 1_000; i++) {
            throttle.begin("10.0.0." + i);
            throttle.failed("10.0.0." + i);
        }
        assertThat(throttle.tracked()).isLessThanOrEqualTo(100);
    }

    @Test
    void anIpv6ClientIsItsSlash64AndAnIpv4OneItsAddress() throws Exception {
        assertThat(SignInThrottle.key(InetAddress.getByName("2001:db8:1:2:aaaa::1"))).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(SignInThrottle.key(InetAddress.getByName("2001:db8:1:2:bbbb::7"))).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(SignInThrottle.key(InetAddress.getByName("fe80::1%1"))).as("every link-local client, one key")
                .isEqualTo(SignInThrottle.key(InetAddress.getByName("fe80::2%2")));
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7};
        assertThat(SignInThrottle.key(Inet6Address.getByAddress(null, mapped, -1))).as("an IPv4-mapped Inet6Address").isEqualTo("192.0.2.7");
        assertThat(SignInThrottle.key(InetAddress.getByName("192.0.2.7"))).isEqualTo("192.0.2.7");
    }

    @Test
    void limitsThatCannotWorkAreRefusedAtStart() {
        assertThatThrownBy(() -> new SignInLimits(3, null, Duration.ofMinutes(5), Duration.ofMinutes(1), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-lockout");
        assertThatThrownBy(() -> new SignInLimits(3, null, null, null, Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forget-after");
        assertThatThrownBy(() -> new SignInLimits(3, null, null, Duration.ofMinutes(15), Duration.ofMinutes(10), null))
                .as("an address forgotten before its wait ends").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forget-after");
    }

    @Test
    void withoutFreeFailuresTheFirstWaitIsTheLockout() {
        SignInThrottle strict = new SignInThrottle(new SignInLimits(0, null, Duration.ofSeconds(10), null, null, null), clock);
        assertThat(strict.begin("a")).isEmpty();
        strict.failed("a");

        assertThat(strict.begin("a")).contains(Duration.ofSeconds(10));
    }

    private void fail(String key) {
        assertThat(throttle.begin(key)).isEmpty();
        throttle.failed(key);
    }
}
