package dev.nanolet.platform.web;

import static dev.nanolet.platform.web.ApiEdgeTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;

/**
 * A query parameter an endpoint reads given more than once is 400 naming it, whatever its type: Spring joined a text's
 * values ({@code ?namespace=a&namespace=b} read as {@code a,b}), so a filter answered an empty page instead of a refusal.
 */
@PlatformApiTest
class RepeatedParametersTest {
    @LocalServerPort
    int port;

    @Test
    void aTextOrBooleanGivenTwiceIs400NamingIt() {
        ApiClient admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        for (String url : List.of("/api/v1/audit?namespace=a&namespace=b", "/api/v1/audit?actor=x&actor=x",
                "/api/v1/audit?dryRun=true&dryRun=true", "/api/v1/audit?limit=5&namespace=a&namespace=")) {
            assertRefused(admin.get(url), url);
        }
        String write = "/api/v1/namespaces/default/deployments/x?wait=true&timeout=5s&timeout=6s";
        assertRefused(admin.json(HttpMethod.PUT, write, "{}"), write);
    }

    @Test
    void aParameterGivenOnceOrNotReadIsAnsweredAsBefore() {
        ApiClient admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        assertThat(admin.get("/api/v1/audit?namespace=a&actor=x&dryRun=false&limit=5").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/audit?other=1&other=2").status()).isEqualTo(200); // read by no one
    }

    private static void assertRefused(Response r, String url) {
        String name = url.substring(url.lastIndexOf('&') + 1, url.lastIndexOf('='));
        assertProblem(r, 400);
        assertThat(r.errorFields()).as(url).containsExactly(name);
        assertThat(r.json().path("detail").asString()).as(url).isEqualTo(name + ": " + RepeatedParameters.MESSAGE);
    }
}
