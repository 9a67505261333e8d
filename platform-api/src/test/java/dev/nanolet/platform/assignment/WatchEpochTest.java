package dev.nanolet.platform.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A node's {@code Last-Event-ID} names a version platform-api handed out: {@code <epoch>.<digits>}, nothing else. */
class WatchEpochTest {
    @Test
    void theVersionOfThisEpochIsItsDigits() {
        assertThat(WatchEpoch.versionOf(WatchEpoch.id("abc", 42), "abc")).hasValue(42);
        assertThat(WatchEpoch.versionOf("other.42", "abc")).isEmpty();
    }

    /** {@code Long.parseLong} took each of these as 42 (or -42): ids platform-api never handed out, so 410 and a fresh list. */
    @Test
    void aSignedOrForeignDigitVersionIsGarbage() {
        for (String version : new String[] {"+42", "-42", "\u0664\u0662", "42 ", "", "99999999999999999999"}) {
            assertThat(WatchEpoch.versionOf("abc." + version, "abc")).as(version).isEmpty();
        }
    }
}
