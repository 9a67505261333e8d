package dev.nanolet.ui;

import static org.awaitility.Awaitility.await;

import dev.nanolet.testsupport.GenerousAwaits;

/**
 * Base of the tests that watch a limit of {@link ShortPlatformLimits} being reached. Their sign-in is not what they check,
 * yet its call to platform-api has the same 2 s: it is made again while it runs out of them, within the module's generous
 * await ({@link GenerousAwaits#AT_MOST}). On a loaded machine the first call of a new application context (a sign-in's) took
 * longer than 2 s, and the test failed before reaching what it checks.
 */
@ShortPlatformLimits
abstract class ShortLimitsTest extends UiTest {
    @Override
    protected UiSession signedIn() {
        UiSession session = new UiSession(baseUrl());
        await().until(() -> signInAsAdmin(session));
        return session;
    }
}
