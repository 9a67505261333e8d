package dev.nanolet.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoutePathTest {

    @Test
    void everySpellingOfOneRouteHasOneCanonicalForm() {
        for (String spelling : new String[] {"/hello", "/hello/", "//hello", "/hello//", "/%68ello", "/hell%6F"}) {
            assertThat(RoutePath.ofRoute(spelling)).as(spelling).isEqualTo("/hello");
        }
        assertThat(RoutePath.ofRoute("/")).isEqualTo("/");
        assertThat(RoutePath.ofRoute("//")).isEqualTo("/");
        assertThat(RoutePath.ofRoute("/a//b/")).isEqualTo("/a/b");
    }

    @Test
    void escapesAreDecodedAndOnlyNonPcharBytesEncodedAgainInUpperCase() {
        assertThat(RoutePath.ofRoute("/%7euser/a%3bb")).isEqualTo("/~user/a;b");
        assertThat(RoutePath.ofRoute("/caf%c3%a9")).isEqualTo("/caf%C3%A9");
        assertThat(RoutePath.ofRequest("/café")).isEqualTo("/caf%C3%A9");
        assertThat(RoutePath.ofRequest("/a%20b")).isEqualTo("/a%20b");
        assertThat(RoutePath.ofRequest("/100%25")).isEqualTo("/100%25");
        assertThat(RoutePath.ofRequest("/a%3Fb")).isEqualTo("/a%3Fb");
    }

    @Test
    void encodedSlashesBackslashesControlsAndBrokenEscapesAreRefused() {
        for (String bad : new String[] {"/a%2Fb", "/a%2fb", "/a%5Cb", "/a\\b", "/a%00", "/a%0a", "/a%", "/a%zz", "/a%2", "hello", ""}) {
            assertThatThrownBy(() -> RoutePath.ofRequest(bad)).as(bad).isInstanceOf(RoutePath.InvalidPathException.class);
            assertThatThrownBy(() -> RoutePath.ofRoute(bad)).as(bad).isInstanceOf(RoutePath.InvalidPathException.class);
        }
        assertThatThrownBy(() -> RoutePath.ofRoute(null)).isInstanceOf(RoutePath.InvalidPathException.class);
    }

    @Test
    void requestPathsResolveDotSegmentsNeverAboveTheRootAndKeepATrailingSlash() {
        assertThat(RoutePath.ofRequest("/other/../hello")).isEqualTo("/hello");
        assertThat(RoutePath.ofRequest("/other/%2e%2E/hello/x")).isEqualTo("/hello/x");
        assertThat(RoutePath.ofRequest("/../../hello")).isEqualTo("/hello");
        assertThat(RoutePath.ofRequest("/hello/./x/.")).isEqualTo("/hello/x/");
        assertThat(RoutePath.ofRequest("/hello/")).isEqualTo("/hello/");
        assertThat(RoutePath.ofRequest("/..")).isEqualTo("/");
    }

    @Test
    void routePathsMustNotHaveDotSegments() {
        for (String bad : new String[] {"/a/../b", "/a/.", "/%2E%2E", "/./a"}) {
            assertThatThrownBy(() -> RoutePath.ofRoute(bad)).as(bad).hasMessageContaining(". or ..");
        }
        assertThat(RoutePath.ofRoute("/a.b/..c")).isEqualTo("/a.b/..c");
    }

    @Test
    void aRouteServesItsPathAndWholeSegmentsBelowIt() {
        assertThat(RoutePath.serves("/hello", "/hello")).isTrue();
        assertThat(RoutePath.serves("/hello", "/hello/")).isTrue();
        assertThat(RoutePath.serves("/hello", "/hello/x")).isTrue();
        assertThat(RoutePath.serves("/hello", "/helloo")).isFalse();
        assertThat(RoutePath.serves("/", "/anything")).isTrue();
    }

    @Test
    void canonicalFormsAreFixedPoints() {
        for (String p : new String[] {"/a%20b/", "/~x/;y", "/caf%C3%A9", "/"}) {
            assertThat(RoutePath.ofRequest(RoutePath.ofRequest(p))).isEqualTo(RoutePath.ofRequest(p));
            assertThat(RoutePath.ofRoute(RoutePath.ofRoute(p))).isEqualTo(RoutePath.ofRoute(p));
        }
    }
}
