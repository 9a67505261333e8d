package dev.nanolet.platform.wakeup;

import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@PlatformApiTest
class PgNotificationsTest {
    @Autowired PgNotifications notifications;
    @Autowired JdbcClient jdbc;

    @Test
    void deliversNotificationsCommittedOnAnyConnection() {
        Set<String> received = ConcurrentHashMap.newKeySet();
        notifications.subscribe(PgNotifications.ASSIGNMENTS, p -> received.add(String.valueOf(p)));
        await().untilAsserted(() -> {
            jdbc.sql("SELECT pg_notify('nanolet_assignments', 'node-x')").query().singleRow();
            org.assertj.core.api.Assertions.assertThat(received).contains("node-x");
        });
    }
}
