package dev.nanolet.ui.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** "Try it" stays on the deployment's route: a dot segment, which the node would resolve, is not sent. */
class RouteSuffixTest {
    @Test
    void aDotSegmentTypedOrEscapedIsNotAPath() {
        for (String suffix : new String[] {"..", "../other", "a/../../api/v1/tokens", "./x", "%2e%2e/other", "%2E./x", "a/%2e", "x/..?q=1"}) {
            assertThatThrownBy(() -> RouteSuffix.join("/hello", suffix)).as(suffix).isInstanceOf(RouteSuffix.NotAPath.class)
                    .hasMessageContaining("would leave the route");
        }
    }

    @Test
    void dotsThatAreNoSegmentAndDotsInTheQueryAreSent() {
        assertThat(RouteSuffix.join("/hello", "a..b/.well-known/x.json")).isEqualTo("/hello/a..b/.well-known/x.json");
        assertThat(RouteSuffix.join("/hello", "search?path=../x")).isEqualTo("/hello/search?path=../x");
        assertThat(RouteSuffix.join("/", "...")).isEqualTo("/...");
    }
}
