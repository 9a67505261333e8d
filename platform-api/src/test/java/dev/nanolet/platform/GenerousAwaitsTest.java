package dev.nanolet.platform;

import dev.nanolet.testsupport.GenerousAwaits;
import org.junit.jupiter.api.Test;

/** This module's awaits that name no bound get {@link GenerousAwaits#AT_MOST} (its junit-platform.properties). */
class GenerousAwaitsTest {
    @Test
    void anAwaitThatNamesNoBoundGetsTheGenerousOne() {
        GenerousAwaits.assertInForce();
    }
}
