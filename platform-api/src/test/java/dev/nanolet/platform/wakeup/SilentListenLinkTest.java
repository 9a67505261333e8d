package dev.nanolet.platform.wakeup;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.nanolet.testsupport.TcpProxy;
import dev.nanolet.testsupport.TestPostgres;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The {@code LISTEN} connection behind a link that goes silent for good (a NAT or a load balancer that
 * dropped an idle flow: no reset, no answer, ever): the listener finds out by its probe within the
 * driver's socket timeout, connects again and hears notifications again. Without the probe it waited
 * on the dead connection forever, and every wake-up of this instance was lost.
 */
class SilentListenLinkTest {

    @Test
    void aListenerWhoseLinkWentSilentConnectsAgainAndHearsNotifications() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        URI server = URI.create(db.url().substring("jdbc:".length()));
        try (TcpProxy link = new TcpProxy(server.getPort()); HikariDataSource viaLink = new HikariDataSource()) {
            viaLink.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + link.port() + server.getPath());
            viaLink.setUsername(db.user());
            viaLink.setPassword(db.password());
            viaLink.addDataSourceProperty("socketTimeout", "1"); // a String: HikariCP drops other values
            viaLink.setConnectionTimeout(2_000);
            viaLink.setMaximumPoolSize(1); // the listener's own connection: the one whose link goes silent
            PgNotifications listener = new PgNotifications(viaLink, Duration.ofMillis(200));
            Set<String> heard = ConcurrentHashMap.newKeySet();
            listener.subscribe(PgNotifications.ASSIGNMENTS, payload -> heard.add(String.valueOf(payload)));
            listener.start();
            try (Connection direct = DriverManager.getConnection(db.url(), db.user(), db.password())) {
                await("heard through the link").atMost(Duration.ofSeconds(10))
                        .until(() -> notify(direct, "before") && heard.contains("before"));

                link.silenceOpen();
                heard.clear();

                await("heard again after the link went silent").atMost(Duration.ofSeconds(10))
                        .until(() -> notify(direct, "after") && heard.contains("after"));
            } finally {
                listener.stop();
            }
        }
    }

    private static boolean notify(Connection c, String payload) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_notify('" + PgNotifications.ASSIGNMENTS + "', '" + payload + "')");
        }
        return true;
    }
}
