package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.platform.event.Events;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What {@link EvictionPauses} records when an instance reports a change its own read of the leases saw, and the state
 * under the lock, or the events, say otherwise: a resume is recorded only of a pause on record.
 */
@PlatformApiTest
class EvictionPausesTest extends TestApiBase {
    @Autowired EvictionPauses pauses;
    @Autowired Events events;

    @BeforeEach
    void noEventOfTheEvictionsYet() {
        jdbc.sql("DELETE FROM events WHERE object = ?").param(EvictionPauses.OBJECT).update();
    }

    /**
     * A pass read every lease out, and a node renewed before it held the lock (nodes coming back after an outage, within
     * milliseconds of each other): no pause was recorded, so its resume, next pass, must not be either.
     */
    @Test
    void aPauseOverBeforeItWasRecordedLeavesNoResumeEither() {
        api.register("pauses-renewed", Map.of(), 10, 4096);
        assertThat(pauses.paused()).as("a node Ready under the lock: the pause is not on record").isFalse();
        pauses.resumed(false);
        assertThat(reasons()).as("events of the platform's evictions").isEmpty();
    }

    /** Another instance recorded the pause that this one found over: this one records its resume all the same. */
    @Test
    void aPauseAnotherInstanceRecordedIsResumed() {
        api.register("pauses-other", Map.of(), 10, 4096);
        events.warning(EvictionPauses.OBJECT, null, null, null, EvictionPauses.PAUSED, "no registered node is Ready (1 NotReady)");
        pauses.resumed(false);
        assertThat(reasons()).containsExactly(EvictionPauses.RESUMED, EvictionPauses.PAUSED);
    }

    /** A pause longer than the events' TTL is pruned before it ends: the instance that found it on record records its resume. */
    @Test
    void theResumeOfAPauseThePruningRemovedIsRecorded() {
        api.register("pauses-long", Map.of(), 10, 4096);
        pauses.resumed(true);
        assertThat(reasons()).containsExactly(EvictionPauses.RESUMED);
    }

    /** Reasons of the platform's evictions' events, newest first. */
    private List<String> reasons() {
        return jdbc.sql("SELECT reason FROM events WHERE object = ? ORDER BY id DESC").param(EvictionPauses.OBJECT)
                .query(String.class).list();
    }
}
