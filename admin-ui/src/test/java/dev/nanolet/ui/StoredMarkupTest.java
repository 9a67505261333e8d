package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.NodeRegistration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What tenants and nodes write (a module's file name, env and args, an event's reason and message, a node's labels and
 * address) is shown as text on every page and live fragment that shows it, never as markup nor as a link.
 */
class StoredMarkupTest extends UiTest {
    private static final String PAGE = "/deployments/default/hello";

    @Test
    void tenantAndNodeStringsAreTextOnEveryPageAndFragment() {
        UiSession session = signedIn();
        String digest = Fixtures.moduleFormFor(session.upload("<img src=x onerror=alert(1)>.wasm", Fixtures.EMPTY_WASM), "upload");
        session.post("/deployments/new", "/deployments", Fixtures.httpForm("hello", digest, 1,
                Map.of("envValue", "\"><img src=x onerror=alert(2)>", "args", "<script>alert(3)</script>"))).redirect();
        API.state().event("Warning", "<img src=x onerror=alert(4)>", "<svg onload=alert(5)>", "deployment/default/hello");
        API.state().event("Warning", "NodeLost", "<script>alert(6)</script>", "node/\"><img src=x onerror=alert(7)>");
        API.state().nodes.put("node-3", new NodeInfo("node-3", Map.of("zone", "<img src=x onerror=alert(8)>"),
                new NodeRegistration.Capacity(8, 1024), new NodeRegistration.Capacity(0, 0), "javascript:alert(9)", true, Instant.now(), 0,
                null, "1"));

        for (String path : new String[] {"/", "/nodes", "/nodes/node-3", "/deployments", PAGE, PAGE + "/logs", "/modules", "/modules/" + digest,
                "/deployments/new?module=" + digest, PAGE + "/edit"}) {
            String html = session.page(path);
            assertThat(html).as(path).doesNotContain("<img src=x").doesNotContain("<svg").doesNotContain("<script>alert")
                    .doesNotContainIgnoringCase("href=\"javascript:");
        }
        for (String path : new String[] {"/", "/nodes", "/deployments", PAGE}) {
            assertThat(session.htmx(path).body()).as(path + " (fragment)").doesNotContain("<img src=x").doesNotContain("<svg")
                    .doesNotContain("<script>alert");
        }
        assertThat(session.page("/")).contains("&lt;svg onload=alert(5)&gt;").contains("&lt;script&gt;alert(6)&lt;/script&gt;");
        assertThat(session.page(PAGE)).contains("&lt;script&gt;alert(3)&lt;/script&gt;").contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
        assertThat(session.page("/nodes")).contains("zone=&lt;img src=x onerror=alert(8)&gt;").contains("javascript:alert(9)");
    }
}
