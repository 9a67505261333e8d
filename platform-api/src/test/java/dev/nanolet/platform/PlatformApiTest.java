package dev.nanolet.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A platform-api test on a random port against its own fresh PostgreSQL database, with the
 * tokens {@link #ADMIN_TOKEN} and {@link #NODE_TOKEN}, and {@link #SECRETS_KEY} sealing secrets.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "nanolet.auth.admin-token=" + PlatformApiTest.ADMIN_TOKEN,
            "nanolet.auth.node-token=" + PlatformApiTest.NODE_TOKEN,
            "nanolet.control.enabled=false",
            "nanolet.secrets.key=" + PlatformApiTest.SECRETS_KEY
        })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
public @interface PlatformApiTest {
    String ADMIN_TOKEN = "test-admin-token";
    String NODE_TOKEN = "test-node-token";
    /** base64 of 32 bytes: 0x01 … 0x20. */
    String SECRETS_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
}
