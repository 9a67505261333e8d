package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Secrets page: keys, version and times only; values are write-only; delete, refused readably while in use. */
class SecretPageTest extends UiTest {
    @Test
    void aSecretIsWrittenWithValuesThatAreNeverShownAgain() {
        UiSession session = signedIn();
        assertThat(session.page("/secrets?namespace=shop")).contains("No secrets in this namespace.");

        String redirect = session.post("/secrets?namespace=shop", "/secrets", Map.of("namespace", "shop", "name", "db",
                "data", "url=jdbc:postgresql://shop-db:5432/orders\r\npassword=p=ss w0rd\r\n\r\n")).redirect();
        assertThat(redirect).isEqualTo("/secrets?namespace=shop");
        assertThat(API.state().secrets.get("shop/db")).isEqualTo(Map.of("url", "jdbc:postgresql://shop-db:5432/orders",
                "password", "p=ss w0rd"));

        String page = session.page("/secrets?namespace=shop");
        assertThat(page).contains("Saved secret db (version 1).").contains("id=\"secret-db\"").contains(">password <")
                .doesNotContain("p=ss w0rd").doesNotContain("jdbc:postgresql://shop-db:5432/orders");
        assertThat(session.page("/secrets?namespace=other")).doesNotContain("id=\"secret-db\"");

        session.post("/secrets?namespace=shop", "/secrets", Map.of("namespace", "shop", "name", "db", "data", "bad key=x")).redirect();
        assertThat(session.page("/secrets?namespace=shop")).contains("platform-api refused: data.bad key");
        assertThat(API.state().secrets.get("shop/db")).containsKey("url");

        assertThat(session.post("/secrets?namespace=shop", "/secrets/shop/db/delete", Map.of()).redirect())
                .isEqualTo("/secrets?namespace=shop");
        assertThat(API.state().secrets).isEmpty();
        assertThat(session.page("/secrets?namespace=shop")).contains("Deleted secret db.");
    }

    /**
     * A forged namespace or name comes back in the redirect's query as it was sent: a {@code +} left bare is read back as a
     * space, an {@code &} or {@code #} cuts the value, a {@code %} starts an escape.
     */
    @Test
    void theRedirectsAfterASaveCarryAForgedNamespaceAndNameWhole() {
        UiSession session = signedIn();
        String namespace = "a+b&c=d#e%f";
        String query = "namespace=a%2Bb%26c%3Dd%23e%25f";

        String saved = session.post("/secrets", "/secrets", Map.of("namespace", namespace, "name", "db", "data", "k=v")).redirect();
        assertThat(saved).isEqualTo("/secrets?" + query);
        assertThat(API.state().secrets).containsKey(namespace + "/db");
        assertThat(session.follow(saved)).contains("value=\"a+b&amp;c=d#e%f\"").contains("href=\"/secrets?" + query + "&amp;replace=db#secret-form\"");
        String again = session.post("/secrets", "/secrets", Map.of("namespace", namespace, "name", "x+y&z#%", "data", "k=v")).redirect();
        session.post("/secrets", "/secrets", Map.of("namespace", namespace, "name", "x+y&z#%", "data", "k=w")).redirect();
        String conflict = session.post("/secrets", "/secrets", Map.of("namespace", namespace, "name", "x+y&z#%", "data", "k=w")).redirect();
        assertThat(again).isEqualTo("/secrets?" + query);
        assertThat(conflict).isEqualTo("/secrets?" + query + "&replace=x%2By%26z%23%25&conflict=true");
        // an encoded % or # in the dashboard's own path is the firewall's 400 before any controller (DotSegmentNamesTest)
        assertThat(session.post("/secrets", "/secrets/a+b&c=d/db/delete", Map.of()).redirect())
                .isEqualTo("/secrets?namespace=a%2Bb%26c%3Dd");
    }
}
