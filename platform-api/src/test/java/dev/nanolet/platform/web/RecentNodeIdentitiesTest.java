package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A node credential found is trusted for at most a second; an unknown or revoked one is looked up every time. */
class RecentNodeIdentitiesTest {

    private Instant now = Instant.parse("2026-12-04T02:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final Map<String, String> database = new HashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final RecentNodeIdentities identities = new RecentNodeIdentities(token -> {
        lookups.incrementAndGet();
        return Optional.ofNullable(database.get(token));
    }, clock);

    @Test
    void aBurstOfCallsLooksTheCredentialUpOnce() {
        database.put("nlt_node_a", "a");
        for (int i = 0; i < 50; i++) {
            assertThat(identities.nodeFor("nlt_node_a")).contains("a");
            now = now.plusMillis(10);
        }
        assertThat(lookups).as("one lookup per second, not per call").hasValueLessThanOrEqualTo(1);
    }

    @Test
    void aRevokedCredentialIsRefusedOnceTheSecondIsOver() {
        database.put("nlt_node_a", "a");
        assertThat(identities.nodeFor("nlt_node_a")).contains("a");
        database.remove("nlt_node_a"); // DELETE /nodes/a on this or another instance

        now = now.plus(RecentNodeIdentities.TTL).minusNanos(1);
        assertThat(identities.nodeFor("nlt_node_a")).as("still within the documented second").contains("a");
        now = now.plusNanos(1);
        assertThat(identities.nodeFor("nlt_node_a")).isEmpty();
        assertThat(identities.nodeFor("nlt_node_a")).isEmpty();
        assertThat(lookups).hasValue(3);
    }

    @Test
    void anUnknownCredentialIsNotRememberedSoANewOneWorksAtOnce() {
        assertThat(identities.nodeFor("nlt_node_b")).isEmpty();
        database.put("nlt_node_b", "b");
        assertThat(identities.nodeFor("nlt_node_b")).contains("b");
        assertThat(identities.nodeFor("nlt_node_other")).isEmpty();
        assertThat(lookups).hasValue(3);
    }

    @Test
    void aFloodOfCredentialsStaysBounded() {
        for (int i = 0; i < RecentNodeIdentities.MAX_ENTRIES + 10; i++) {
            database.put("nlt_node_" + i, "n" + i);
            assertThat(identities.nodeFor("nlt_node_" + i)).contains("n" + i);
        }
        int before = lookups.get();
        assertThat(identities.nodeFor("nlt_node_" + (RecentNodeIdentities.MAX_ENTRIES + 9))).contains("n" + (RecentNodeIdentities.MAX_ENTRIES + 9));
        assertThat(lookups).as("the newest is still remembered").hasValue(before);
        assertThat(identities.remembered()).isLessThanOrEqualTo(RecentNodeIdentities.MAX_ENTRIES);
    }
}
