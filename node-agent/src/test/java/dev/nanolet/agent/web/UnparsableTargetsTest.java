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

    private static boolean parses(String target) {
        try {
            new URI("http://localhost" + target);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
