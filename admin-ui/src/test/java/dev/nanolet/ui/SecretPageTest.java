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
}
