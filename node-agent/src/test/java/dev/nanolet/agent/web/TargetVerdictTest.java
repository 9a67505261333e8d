package dev.nanolet.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetVerdictTest {

    /**
     * The check that lets a target by without parsing it lets by only what the parse takes: every character up to U+00FF
     * (Netty reads the request line byte for byte) in a path, in a query, after a {@code %} and after {@code %4}, and
     * targets the node's tests send, are judged as {@link URI} judges them behind a scheme and host (Spring's parse).
     */
    @Test
    void aTargetIsRefusedExactlyWhenSpringCouldNotParseIt() {
        for (char c = 0; c <= 0xFF; c++) {
            for (String target : List.of("/a" + c + "b", "/a?q=" + c, "/a%" + c + "1", "/a%4" + c, "/a?q=%4" + c, "/a#" + c)) {
                assertThat(get(target)).as("%s (U+%04X)", target, (int) c).isEqualTo(parses(target) ? TargetVerdict.PASSED : TargetVerdict.NOT_A_URI);
            }
        }
        for (String target : List.of("/hello%zz", "/a\\b", "/lone%", "/a%4", "/x?q=[1]", "/x[1]", "/%C3%A9?a=%41&b=c:d@e", "//x/../y")) {
            assertThat(get(target)).as(target).isEqualTo(parses(target) ? TargetVerdict.PASSED : TargetVerdict.NOT_A_URI);
        }
    }

    /**
     * A target in absolute form with an {@code http} or {@code https} scheme, in any case (what a client sends a proxy), is
     * judged by what follows its authority, as Spring keeps only that of it.
     */
    @Test
    void aTargetInAbsoluteFormIsJudgedByWhatFollowsItsAuthority() {
        for (String target : List.of("http://x/a\\b", "http://x/a b", "http://x/hello%zz", "https://x:8443?q=%", "http://x#%zz", "HTTP://x/%")) {
            assertThat(get(target)).as(target).isEqualTo(TargetVerdict.NOT_A_URI);
        }
        for (String target : List.of("http://x/a", "http://x", "http://x?q=%41", "http://a%zz\\/ok", "HTTP://x/a", "hTTpS://x:1/a?q")) {
            assertThat(get(target)).as(target).isEqualTo(TargetVerdict.PASSED);
        }
    }

    /**
     * A target in none of HTTP/1.1's forms (one slash short, another scheme, no scheme, {@code *} on another method than
     * {@code OPTIONS}, authority form on another than {@code CONNECT}) is refused whatever characters it holds: Spring would
     * read part of it as the host.
     */
    @Test
    void aTargetInNoFormHttpAllowsIsRefusedWhateverItHolds() {
        for (char c = 0; c <= 0xFF; c++) {
            for (String target : List.of("x" + c + "/a", "*" + c, "http:/x/a" + c, "ftp://x/a" + c, "h" + c + "ttp://x/a")) {
                assertThat(get(target)).as("%s (U+%04X)", target, (int) c).isEqualTo(TargetVerdict.IN_NO_FORM);
            }
        }
        for (String target : List.of("*", "x/a", "x:443", "http:x/a", "http:/x/a", "https:/x", "ws://x/a", "a/b://c/d", "", "http//x/a")) {
            assertThat(get(target)).as(target).isEqualTo(TargetVerdict.IN_NO_FORM);
        }
        assertThat(TargetVerdict.of(HttpMethod.HEAD, "*")).isEqualTo(TargetVerdict.IN_NO_FORM);
        assertThat(TargetVerdict.of(HttpMethod.OPTIONS, "x/a")).isEqualTo(TargetVerdict.IN_NO_FORM);
    }

    /** {@code OPTIONS *} is the node's to answer; {@code OPTIONS} on a path is the route's. */
    @Test
    void optionsOnTheServerIsTheNodesToAnswer() {
        assertThat(TargetVerdict.of(HttpMethod.OPTIONS, "*")).isEqualTo(TargetVerdict.SERVER_OPTIONS);
        assertThat(TargetVerdict.of(HttpMethod.valueOf("OPTIONS"), "*")).isEqualTo(TargetVerdict.SERVER_OPTIONS);
        assertThat(TargetVerdict.of(HttpMethod.OPTIONS, "/pa")).isEqualTo(TargetVerdict.PASSED);
        assertThat(TargetVerdict.of(HttpMethod.OPTIONS, "*%zz")).isEqualTo(TargetVerdict.IN_NO_FORM);
    }

    @Test
    void connectIsRefusedWhateverItsTarget() {
        for (String target : List.of("x:443", "[::1]:443", "/pa", "http://x/a", "*")) {
            assertThat(TargetVerdict.of(HttpMethod.CONNECT, target)).as(target).isEqualTo(TargetVerdict.NO_TUNNEL);
        }
    }

    private static TargetVerdict get(String target) {
        return TargetVerdict.of(HttpMethod.GET, target);
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
