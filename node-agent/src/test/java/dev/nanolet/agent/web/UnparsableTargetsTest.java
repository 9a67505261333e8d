package dev.nanolet.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnparsableTargetsTest {

    /**
     * The check that lets a target by without parsing it lets by only what the parse takes: every character up to U+00FF
     * (Netty reads the request line byte for byte) in a path, in a query, after a {@code %} and after {@code %4}, and
     * targets the node's tests send, are judged as {@link URI} judges them behind a scheme and host (Spring's parse).
     */
    @Test
    void aTargetIsRefusedExactlyWhenSpringCouldNotParseIt() {
        for (char c = 0; c <= 0xFF; c++) {
            for (String target : List.of("/a" + c + "b", "/a?q=" + c, "/a%" + c + "1", "/a%4" + c, "/a?q=%4" + c, "/a#" + c)) {
                assertThat(UnparsableTargets.unparsable(target)).as("%s (U+%04X)", target, (int) c).isEqualTo(!parses(target));
            }
        }
        for (String target : List.of("/hello%zz", "/a\\b", "/lone%", "/a%4", "/x?q=[1]", "/x[1]", "/%C3%A9?a=%41&b=c:d@e", "//x/../y")) {
            assertThat(UnparsableTargets.unparsable(target)).as(target).isEqualTo(!parses(target));
        }
    }

    /**
     * A target in absolute form (what a client sends a proxy) is judged by what follows its authority, as Spring keeps only
     * that of it.
     */
    @Test
    void aTargetInAbsoluteFormIsJudgedByWhatFollowsItsAuthority() {
        for (String target : List.of("http://x/a\\b", "http://x/a b", "http://x/hello%zz", "https://x:8443?q=%", "http://x#%zz")) {
            assertThat(UnparsableTargets.unparsable(target)).as(target).isTrue();
        }
        for (String target : List.of("http://x/a", "http://x", "http://x?q=%41", "http://a%zz\\/ok")) {
            assertThat(UnparsableTargets.unparsable(target)).as(target).isFalse();
        }
        assertThat(UnparsableTargets.requestUri("http://x:80/a?q")).isEqualTo("/a?q");
        assertThat(UnparsableTargets.requestUri("http://x")).isEmpty();
        assertThat(UnparsableTargets.requestUri("/a://b")).isEqualTo("/a://b");
    }

    /**
     * A target in neither form ({@code http:/x/a}, one slash short; {@code *}; {@code x/a}) is written whole behind
     * Spring's scheme, host and port, where it runs on into the authority; such a target with a broken escape was left to
     * Spring, which answered it a bare 400. It is judged as Spring judges it, with a port and without (port 80).
     */
    @Test
    void aTargetInAnotherFormIsJudgedWholeAsSpringJudgesIt() {
        for (char c = 0; c <= 0xFF; c++) {
            for (String target : List.of("x" + c + "y", "*" + c, "http:/x/a" + c, "http:" + c, "a%" + c + "1", "a/b://c" + c)) {
                boolean refused = UnparsableTargets.unparsable(target);
                assertThat(refused).as("%s (U+%04X)", target, (int) c).isEqualTo(!parses(":8181" + target)).isEqualTo(!parses(target));
            }
        }
        for (String target : List.of("http:/x/a%zz", "http:a%zz", "x/a%zz", "*%zz", "a/b://c%zz", "[::1]", "%")) {
            assertThat(UnparsableTargets.unparsable(target)).as(target).isTrue();
        }
        for (String target : List.of("http:/x/a", "*", "x:1", "x/a?q=%41")) {
            assertThat(UnparsableTargets.unparsable(target)).as(target).isFalse();
        }
        assertThat(UnparsableTargets.requestUri("x/y://z")).isEqualTo("x/y://z");
    }

    private static boolean parses(String target) {
        try {
            new URI("http://localhost" + target);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
