package dev.nanolet.ui;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * A dashboard whose calls to platform-api end soon (2 s a call, 5 s a log tail, 6 s an import or upload) and that has
 * {@value #CONNECTIONS} connections in each pool, for the tests that watch one of these limits being reached. Every class
 * with it shares one application context; the other tests get {@link UiTest}'s long timeouts, since a call to the fake
 * that takes 2 s on a busy machine is not what they test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@TestPropertySource(properties = {"nanolet.platform.timeout=2s", "nanolet.platform.log-tail-timeout=5s",
    "nanolet.platform.import-timeout=6s", "nanolet.platform.connections=" + ShortPlatformLimits.CONNECTIONS,
    "nanolet.platform.long-connections=" + ShortPlatformLimits.CONNECTIONS})
@interface ShortPlatformLimits {
    int CONNECTIONS = 4;
}
