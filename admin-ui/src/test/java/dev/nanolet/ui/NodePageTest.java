package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node's page: the admin sets its restricted labels ({@code node-restriction.nanolet.dev/…}), all at once. */
class NodePageTest extends UiTest {
    private static final String PAGE = "/nodes/node-2";

    @Test
    void theAdminSetsRestrictedLabelsAndTheNodesOwnLabelsStay() {
        UiSession admin = signedIn();

        UiSession.Response r = admin.post(PAGE, PAGE + "/labels",
                Map.of("labels", "node-restriction.nanolet.dev/tier = trusted\n\n"));

        assertThat(r.redirect()).isEqualTo(PAGE);
        assertThat(API.state().nodes.get("node-2").labels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("zone", "b", "node-restriction.nanolet.dev/tier", "trusted"));
        String page = admin.page(PAGE);
        assertThat(page).contains("Saved 1 restricted labels.")
                .containsPattern("id=\"restricted-labels\">\\s*<code>node-restriction.nanolet.dev/tier=trusted");

        admin.post(PAGE, PAGE + "/labels", Map.of("labels", ""));
        assertThat(API.state().nodes.get("node-2").labels()).containsExactlyInAnyOrderEntriesOf(Map.of("zone", "b"));
    }

    @Test
    void aRefusedKeyIsShownNextToTheFormWithWhatWasTyped() {
        UiSession admin = signedIn();

        UiSession.Response r = admin.post(PAGE, PAGE + "/labels", Map.of("labels", "node-restriction.nanolet.dev/tier=trusted\nzone=c"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("id=\"labels-errors\"").contains("labels.zone: must start with node-restriction.nanolet.dev/")
                .contains("node-restriction.nanolet.dev/tier=trusted\nzone=c</textarea>");
        assertThat(API.state().nodes.get("node-2").labels()).containsExactlyInAnyOrderEntriesOf(Map.of("zone", "b"));
    }

    @Test
    void aViewerSeesTheLabelsButIsNotOfferedTheForm() {
        UiSession viewer = new UiSession(baseUrl());
        assertThat(viewer.signIn(FakePlatformApi.CLUSTER_VIEWER_TOKEN).redirect()).isEqualTo("/");

        String page = viewer.page(PAGE);

        assertThat(page).contains("id=\"restricted-labels\"").doesNotContain("id=\"relabel-node\"");
        assertThat(signedInPage()).contains("id=\"relabel-node\"");
    }

    private String signedInPage() {
        return signedIn().page(PAGE);
    }
}
