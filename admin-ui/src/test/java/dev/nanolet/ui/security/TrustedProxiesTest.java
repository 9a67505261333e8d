package dev.nanolet.ui.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** The client behind trusted proxies: X-Forwarded-For from the right, trusted hops skipped, anything odd ends at the proxy. */
class TrustedProxiesTest {
    private static final String PROXY = "10.0.0.5";
    private final TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/24", " 2001:db8:ffff::/48 ", ""));

    @Test
    void behindATrustedProxyTheFirstUntrustedAddressFromTheRightIsTheClient() {
        assertThat(client(PROXY, "203.0.113.9")).contains("203.0.113.9");
        assertThat(client(PROXY, "198.51.100.1, 203.0.113.9, 10.0.0.7")).as("a second proxy skipped, the client's own claim not read")
                .contains("203.0.113.9");
        assertThat(client(PROXY, "198.51.100.1", "203.0.113.9,10.0.0.7")).as("lines in order, as one list").contains("203.0.113.9");
        assertThat(client(PROXY, "2001:db8:1:2::99")).contains("2001:db8:1:2:0:0:0:99");
        assertThat(client("2001:db8:ffff::1", "203.0.113.9")).as("an IPv6 proxy").contains("203.0.113.9");
        assertThat(client("::ffff:10.0.0.5", "203.0.113.9")).as("an IPv4-mapped proxy").contains("203.0.113.9");
    }

    @Test
    void aPeerThatIsNoTrustedProxyIsTheClientWhateverItsHeadersSay() {
        assertThat(client("203.0.113.9", "198.51.100.1")).contains("203.0.113.9");
        assertThat(client("10.0.1.5", "198.51.100.1")).as("just outside the /24").contains("10.0.1.5");
        assertThat(new TrustedProxies(null).client(request(PROXY, "198.51.100.1")).map(InetAddress::getHostAddress))
                .as("no trusted proxies: today's behaviour").contains(PROXY);
    }

    @Test
    void withoutAHeaderOrWithOnlyTrustedHopsTheLastTrustedHopIsTheClient() {
        assertThat(client(PROXY)).contains(PROXY);
        assertThat(client(PROXY, "10.0.0.8, 10.0.0.7")).contains("10.0.0.8");
    }

    @Test
    void anEntryThatIsNoAddressEndsTheWalkAtTheLastTrustedHop() {
        for (String header : List.of("unknown", "_obfuscated", "203.0.113.9:4711", "[2001:db8::1]", "[2001:db8::1]:443", "example.com",
                "", " , ", "203.0.113.9,", "fe80::1%eth0", "\"203.0.113.9\"", "for=203.0.113.9", "203.0.113.9 198.51.100.1", "1.2.3.4.5")) {
            assertThat(client(PROXY, header)).as("'%s'", header).contains(PROXY);
        }
        assertThat(client(PROXY, "203.0.113.9, unknown, 10.0.0.7")).as("the second proxy").contains("10.0.0.7");
    }

    @Test
    void aLongHeaderIsReadOnlyAsFarAsTheMostHops() {
        String[] trustedHops = new String[TrustedProxies.MAX_HOPS];
        Arrays.fill(trustedHops, "10.0.0.7");
        assertThat(client(PROXY, "203.0.113.9, " + String.join(", ", Arrays.copyOf(trustedHops, TrustedProxies.MAX_HOPS - 1))))
                .contains("203.0.113.9");
        assertThat(client(PROXY, "203.0.113.9, " + String.join(", ", trustedHops))).contains("10.0.0.7");
        assertThat(client(PROXY, "203.0.113.9" + " ".repeat(100_000))).as("one huge entry").contains(PROXY);
        assertThat(client(PROXY, ",".repeat(100_000))).contains(PROXY);
    }

    @Test
    void aRequestWithoutAPeerHasNoClient() {
        assertThat(proxies.client(MockServerHttpRequest.post("/sign-in").header("X-Forwarded-For", "203.0.113.9").build())).isEmpty();
    }

    @Test
    void anEntryThatIsNoNetworkStopsTheStartNamingIt() {
        assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/8", "proxy.internal")))
                .hasMessage("NANOLET_UI_TRUSTED_PROXIES: 'proxy.internal' is not an address or a CIDR network");
        new ApplicationContextRunner().withUserConfiguration(Binding.class)
                .withPropertyValues("nanolet.ui.trusted-proxies=10.0.0.0/8, 10.0.0.0/33")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessage("NANOLET_UI_TRUSTED_PROXIES: '10.0.0.0/33' has no prefix length from 0 to 32"));
        new ApplicationContextRunner().withUserConfiguration(Binding.class)
                .withPropertyValues("nanolet.ui.trusted-proxies=10.0.0.0/8, fd00::/8")
                .run(context -> assertThat(context.getBean(TrustedProxies.class).client(request("fd00::1", "203.0.113.9"))
                        .map(InetAddress::getHostAddress)).contains("203.0.113.9"));
    }

    @EnableConfigurationProperties(TrustedProxies.class)
    static class Binding {}

    private Optional<String> client(String peer, String... forwardedFor) {
        return proxies.client(request(peer, forwardedFor)).map(InetAddress::getHostAddress);
    }

    private static MockServerHttpRequest request(String peer, String... forwardedFor) {
        var request = MockServerHttpRequest.post("/sign-in").remoteAddress(new InetSocketAddress(peer, 40_000));
        return (forwardedFor.length == 0 ? request : request.header("X-Forwarded-For", forwardedFor)).build();
    }
}
