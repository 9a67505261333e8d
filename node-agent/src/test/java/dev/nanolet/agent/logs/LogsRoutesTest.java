package dev.nanolet.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.config.DataPlaneProperties;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;

/**
 * {@code ?tail=} is ASCII digits, bounded to the lines a replica keeps: {@link Integer#parseInt} took {@code +2} and
 * {@code ٢} (Arabic-Indic 2) as 2, and answered a count above {@code 2147483647} with its own exception's text.
 */
class LogsRoutesTest {
    static final String TOKEN = "the-logs-token";
    final UUID replica = UUID.randomUUID();
    final LogStore store = new LogStore(new DataPlaneProperties(DataSize.ofKilobytes(1), DataSize.ofKilobytes(1), 1, 1,
            Duration.ZERO, 3), Clock.systemUTC());
    final WebTestClient client = WebTestClient.bindToRouterFunction(
            new LogsRoutes().replicaLogs(store, auth -> ("Bearer " + TOKEN).equals(auth))).build();

    WebTestClient.ResponseSpec logs(String tail) {
        return client.get().uri(URI.create("/_nanolet/v1/replicas/" + replica + "/logs?tail=" + tail))
                .header("Authorization", "Bearer " + TOKEN).exchange();
    }

    @Test
    void anythingButAsciiDigitsIs400ProblemNamingTail() {
        store.open(replica).append("stdout", "one");
        for (String tail : List.of("%2B2", "%D9%A2", "%202", "2%20", "-1", "0x2", "")) {
            logs(tail).expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).as(tail)
                            .startsWith("tail must be a number of lines written with the digits 0-9 only")
                            .contains("more than the 3 lines a replica keeps reads them all"));
        }
    }

    @Test
    void aReplicaIdThatIsNoUuidIs400ProblemWithoutJavasText() {
        client.get().uri("/_nanolet/v1/replicas/abc/logs").header("Authorization", "Bearer " + TOKEN).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("the replica id must be a UUID");
    }

    @Test
    void aCountAboveWhatTheBufferKeepsReadsAllOfIt() {
        List.of("one", "two", "three", "four").forEach(line -> store.open(replica).append("stdout", line));
        for (String tail : List.of("99999999999", "999999999999999999", "1234567890123456789", "000000000000000000003", "3")) {
            logs(tail).expectStatus().isOk().expectBody(String.class)
                    .value(b -> assertThat(b).as(tail).doesNotContain("\"one\"").contains("\"two\"", "\"three\"", "\"four\""));
        }
        logs("1").expectStatus().isOk().expectBody(String.class).value(b -> assertThat(b).doesNotContain("\"three\"").contains("\"four\""));
        logs("0").expectStatus().isOk().expectBody().isEmpty();
    }
}
