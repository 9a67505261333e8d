package dev.nanolet.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpLiteralTest {

    @Test
    void dottedQuadsAndIpv6AddressesAreAddresses() {
        assertThat(IpLiteral.parse("192.0.2.7").map(InetAddress::getAddress)).hasValueSatisfying(
                b -> assertThat(b).containsExactly(192, 0, 2, 7));
        assertThat(IpLiteral.parse("0.0.0.0")).isPresent();
        assertThat(IpLiteral.parse("255.255.255.255")).isPresent();
        assertThat(IpLiteral.parse("2001:db8::1").map(InetAddress::getHostAddress)).contains("2001:db8:0:0:0:0:0:1");
        assertThat(IpLiteral.parse("::1")).isPresent();
        assertThat(IpLiteral.parse("::").map(InetAddress::getHostAddress)).contains("0:0:0:0:0:0:0:0");
        assertThat(IpLiteral.parse("FE80::A").map(InetAddress::getHostAddress)).contains("fe80:0:0:0:0:0:0:a");
        assertThat(IpLiteral.parse("2001:db8::").map(InetAddress::getHostAddress)).contains("2001:db8:0:0:0:0:0:0");
        assertThat(IpLiteral.parse("::ffff:192.0.2.7").map(InetAddress::getHostAddress)).contains("192.0.2.7");
        assertThat(IpLiteral.parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255")).isPresent();
    }

    /** Names would be resolved (a lookup per header entry), ports and brackets are a proxy's other spellings: none is an address. */
    @Test
    void anythingElseIsNone() {
        char[] long46 = new char[46];
        Arrays.fill(long46, ':');
        for (String text : List.of("", " ", "unknown", "_hidden", "cafe", "beef.cafe", "example.com", "localhost", "192.0.2.7:80",
                "[2001:db8::1]", "[2001:db8::1]:443", "2001:db8::1%eth0", "fe80::1%1", "10.1", "10", "010.0.0.1", "1.2.3.256",
                "1.2.3.4.5", "1.2.3.", " 1.2.3.4", "1.2.3.4 ", "+1.2.3.4", "\u0661.2.3.4", "1:2:3:4:5:6:7:8:9", "gggg::1", ":::",
                "0x7f.0.0.1", new String(long46), "\"192.0.2.7\"")) {
            assertThat(IpLiteral.parse(text)).as("'%s'", text).isEmpty();
        }
        assertThat(IpLiteral.parse(null)).isEmpty();
    }

    /** The JDK takes text that starts with neither a hex digit nor a colon for a name, even with colons in it. */
    @Test
    void nothingIsEverLookedUp() throws UnknownHostException {
        List<String> texts = List.of(".::1", ".:", "..::ffff:1.2.3.4", ".1.2.3.4:", "::1.", "::1:");
        for (String text : texts) {
            assertThat(IpLiteral.parse(text)).as("'%s'", text).isEmpty();
        }
        assertThat(texts).noneMatch(RecordingResolver::lookedUp);

        InetAddress.getByName("localhost");
        assertThat(RecordingResolver.lookedUp("localhost")).as("the recording resolver is the JVM's").isTrue();
    }
}
