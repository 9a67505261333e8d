package dev.nanolet.platform.web;

import static dev.nanolet.platform.web.ApiEdgeTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;

/**
 * A whole number in a query parameter is ASCII digits and nothing else, on every endpoint that takes one: Spring's own
 * conversion took {@code +5}, spaces around it, {@code 0x5} and other scripts' digits ({@code ٥}, Arabic-Indic 5) as 5.
 */
@PlatformApiTest
class QueryNumbersTest {
    /** {@code +5}, {@code " 5"}, {@code "5 "}, {@code ٥}, {@code 0x5}, {@code 05.0}, {@code -5}, and 5 with a tab. */
    static final List<String> NOT_DIGITS = List.of("%2B5", "%205", "5%20", "%D9%A5", "0x5", "5.0", "-5", "%095");
    static final List<String> PARAMETERS = List.of(
            "/api/v1/events?limit=", "/api/v1/audit?limit=", "/api/v1/audit?before=",
            "/api/v1/namespaces/default/deployments/x/events?limit=", "/api/v1/namespaces/default/deployments/x/logs?tail=",
            "/api/v1/namespaces/default/deployments/x/metrics?minutes=");

    @LocalServerPort
    int port;

    ApiClient admin;

    @BeforeEach
    void client() {
        admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
    }

    @Test
    void anythingButAsciiDigitsIs400NamingTheParameter() {
        for (String url : PARAMETERS) {
            String name = url.substring(url.indexOf('?') + 1, url.length() - 1);
            for (String value : NOT_DIGITS) {
                Response r = admin.get(url + value);
                assertProblem(r, 400);
                assertThat(r.errorFields()).as(url + value).containsExactly(name);
                assertThat(r.json().path("errors").get(0).path("message").asString()).as(url + value).isEqualTo(QueryNumbers.RULE);
                assertThat(r.body()).doesNotContain("java.", "Exception");
            }
        }
    }

    /** A wait's {@code timeout} is a duration ({@link dev.nanolet.wire.WaitTimeout}), read as strictly: it was trimmed. */
    @Test
    void aWaitTimeoutIsReadAsStrictly() {
        for (String timeout : List.of("%205", "5s%20", "%20", "%2B5s", "%D9%A5s", "0x5")) {
            Response r = admin.json(HttpMethod.PUT, "/api/v1/namespaces/default/deployments/x?wait=true&timeout=" + timeout, "{}");
            assertProblem(r, 400);
            assertThat(r.json().path("detail").asString()).as(timeout).startsWith("timeout: must be a duration");
        }
    }

    /** Spring joins the values ({@code 5,6}) before they are read: the answer talked about digits no one sent. */
    @Test
    void aNumberGivenTwiceIs400SayingSo() {
        for (String url : PARAMETERS) {
            String name = url.substring(url.indexOf('?') + 1, url.length() - 1);
            for (String twice : List.of(url + "5&" + name + "=6", url + "5&" + name + "=5", url + "5&" + name + "=")) {
                Response r = admin.get(twice);
                assertProblem(r, 400);
                assertThat(r.errorFields()).as(twice).containsExactly(name);
                assertThat(r.json().path("detail").asString()).as(twice)
                        .isEqualTo(name + ": " + RepeatedParameters.MESSAGE);
            }
        }
    }

    @Test
    void aNumberTooLargeForItsTypeIs400NotAnOverflow() {
        for (String url : List.of("/api/v1/events?limit=2147483648", "/api/v1/audit?before=9999999999999999999")) {
            Response r = admin.get(url);
            assertProblem(r, 400);
            assertThat(r.json().path("errors").get(0).path("message").asString()).as(url).isEqualTo(QueryNumbers.RULE);
        }
    }

    @Test
    void plainDigitsStillWorkAndAnEmptyValueStillMeansTheDefault() {
        assertThat(admin.get("/api/v1/events?limit=5").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/events?limit=").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/audit?limit=007&before=").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/audit?before=12").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/namespaces/default/deployments/x/metrics?minutes=5").status()).isEqualTo(404);
    }
}
