package dev.nanolet.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostVerdictTest {

    @Test
    void oneHostIsRequiredOnHttp11AndAtMostOneOnHttp10() {
        assertThat(HostVerdict.of(HttpVersion.HTTP_1_1, hosts())).isEqualTo(HostVerdict.MISSING);
        assertThat(HostVerdict.of(HttpVersion.HTTP_1_0, hosts())).isEqualTo(HostVerdict.PASSED);
        assertThat(HostVerdict.of(HttpVersion.HTTP_1_1, hosts("a"))).isEqualTo(HostVerdict.PASSED);
        for (HttpVersion version : List.of(HttpVersion.HTTP_1_0, HttpVersion.HTTP_1_1)) {
            assertThat(HostVerdict.of(version, hosts("a", "a"))).as(version.text()).isEqualTo(HostVerdict.REPEATED);
            assertThat(HostVerdict.of(version, hosts("a:x"))).as(version.text()).isEqualTo(HostVerdict.NOT_A_HOST);
        }
    }

    @Test
    void aPortIsZeroTo65535InDigits() {
        for (String host : List.of("a:0", "a:65535", "a:00080", "a:1")) {
            assertThat(HostVerdict.isHost(host)).as(host).isTrue();
        }
        for (String host : List.of("a:65536", "a:99999999", "a:4294967376", "a:", "a:x", "a:-1", "a:+1", "a: 1", "a:1:2", "a:\u0661")) {
            assertThat(HostVerdict.isHost(host)).as(host).isFalse();
        }
    }

    @Test
    void aNameIsWhatRfc3986LetsARegNameHoldAndNotEmpty() {
        for (String host : List.of("example.test", "a_b", "a%41", "x-._~!$&'()*+,;=", "1.2.3.4", "999.1.1.1")) {
            assertThat(HostVerdict.isHost(host)).as(host).isTrue();
        }
        for (String host : List.of("", ":80", "a%zz", "a%4", "a%", "a b", "a{b}", "a@b", "a/b", "a?b", "a#b", "a\\b", "h\u00e9", "a\u0000",
                "a]", "a[")) {
            assertThat(HostVerdict.isHost(host)).as(host).isFalse();
        }
    }

    /** Every IPv6 literal let by is one Spring takes as the URI's host, so it never fails to build the request's URI. */
    @Test
    void anIpv6AddressIsInBracketsWithoutZone() throws URISyntaxException {
        for (String host : List.of("[::1]", "[::1]:8181", "[2001:db8::1]", "[::ffff:127.0.0.1]:0", "[1:2:3:4:5:6:7:8]", "[::]",
                "[64:ff9b::192.0.2.1]", "[1:2:3:4:5:6:1.2.3.4]")) {
            assertThat(HostVerdict.isHost(host)).as(host).isTrue();
            assertThat(new URI("http://" + host + "/").getHost()).as(host).isNotNull();
        }
        for (String host : List.of("[::1", "::1", "[::1]x", "[::1]:", "[]", "[zz]", "[v1.x]", "[fe80::1%25eth0]", "[fe80::1%eth0]",
                "[1:2:3:4:5:6:7:8:9]", "[::1]]", "[[::1]]", "[127.0.0.1]")) {
            assertThat(HostVerdict.isHost(host)).as(host).isFalse();
        }
    }

    private static HttpHeaders hosts(String... values) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String value : values) {
            headers.add("Host", value);
        }
        return headers;
    }
}
