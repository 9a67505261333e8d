package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A name or namespace typed as {@code .} or {@code ..} (a forged form field or query) would be a dot segment in
 * platform-api's path, resolved there to another path than the call names: it is refused with a 4xx and never sent.
 */
class DotSegmentNamesTest extends UiTest {
    @Test
    void aDotNameOrNamespaceIsRefusedAndNeverReachesPlatformApi() {
        UiSession session = signedIn();
        String digest = Fixtures.upload(session);

        UiSession.Response secret = session.post("/secrets", "/secrets", Map.of("namespace", "default", "name", "..", "data", "k=v"));
        assertThat(secret.redirect()).isEqualTo("/secrets?namespace=default");
        assertThat(session.page("/secrets?namespace=default")).contains("&#39;..&#39; is not a name: nothing was sent to platform-api");

        UiSession.Response list = session.get("/secrets?namespace=..");
        assertThat(list.status()).isEqualTo(400);
        assertThat(list.body()).contains("&#39;..&#39; is not a name");

        UiSession.Response deployment = session.post("/deployments/new", "/deployments", Fixtures.httpForm(".", digest, 1));
        assertThat(deployment.status()).as("the form again, as for platform-api's own refusals").isEqualTo(200);
        assertThat(deployment.body()).contains("id=\"deployment-form\"").contains("&#39;.&#39; is not a name");

        assertThat(API.requests).noneMatch(r -> r.matches("\\S+ \\S*/\\.\\.?(/.*|\\?.*)?"));
    }

    /** The dashboard's own paths with such a segment never reach a controller: Spring Security's firewall answers 400. */
    @Test
    void aDotSegmentInTheDashboardsOwnPathIsRefusedBeforeAnyCall() {
        UiSession session = signedIn();
        API.requests.clear();
        for (String path : new String[] {"/nodes/..", "/deployments/%2e%2e/x", "/deployments/default/./hello", "/secrets/default/../x/delete"}) {
            assertThat(session.get(URI.create(baseUrl() + path)).status()).as(path).isEqualTo(400);
        }
        assertThat(API.requests).isEmpty();
    }
}
