package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * Every page, fragment, asset and error carries the strict Content-Security-Policy and its companion
 * headers (docs/security.md, "Dashboard"); {@code AdminUiBrowserTest} shows the pages live with it.
 */
class BrowserHeadersTest extends UiTest {
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Test
    void everyResponseCarriesTheStrictPolicyAndItsCompanions() {
        UiSession visitor = new UiSession(baseUrl());
        assertStrict(visitor.get("/sign-in").headers(), "/sign-in");
        assertStrict(visitor.get("/deployments").headers(), "the redirect to sign in");
        assertStrict(visitor.get("/css/app.css").headers(), "the stylesheet");
        assertStrict(visitor.get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").headers(), "htmx");

        UiSession session = signedIn();
        assertStrict(session.get("/").headers(), "the overview");
        assertStrict(session.htmx("/nodes").headers(), "a live fragment");
        assertStrict(session.get("/deployments/default/gone").headers(), "platform-api's 404");
        assertStrict(session.get("/no/such/page").headers(), "Boot's error page");
    }

    private static void assertStrict(HttpHeaders headers, String what) {
        assertThat(headers.getFirst("Content-Security-Policy")).as(what).isEqualTo(POLICY);
        assertThat(headers.getFirst("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(headers.getFirst("X-Frame-Options")).as(what).isEqualTo("DENY");
        assertThat(headers.getFirst("Referrer-Policy")).as(what).isEqualTo("same-origin");
        assertThat(headers.getFirst("Cross-Origin-Opener-Policy")).as(what).isEqualTo("same-origin");
        assertThat(headers.getFirst("Cross-Origin-Resource-Policy")).as(what).isEqualTo("same-origin");
        assertThat(headers.getFirst("Permissions-Policy")).as(what).isEqualTo(PERMISSIONS);
    }

    static final String PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), midi=(), "
            + "display-capture=()";
}
