package dev.nanolet.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void aNetworkHoldsItsAddressesAndAnAddressOnlyItself() {
        Cidr v4 = Cidr.parse("SETTING", "10.0.0.0/8");
        Cidr v6 = Cidr.parse("SETTING", "fd00::/8");
        Cidr one = Cidr.parse("SETTING", "192.0.2.7");

        assertThat(v4.contains(address("10.200.3.4"))).isTrue();
        assertThat(v4.contains(address("11.0.0.1"))).isFalse();
        assertThat(v4.contains(address("::ffff:10.1.2.3"))).as("IPv4-mapped").isTrue();
        assertThat(v6.contains(address("fd12:3456::1"))).isTrue();
        assertThat(v6.contains(address("fe00::1"))).isFalse();
        assertThat(one.contains(address("192.0.2.7"))).isTrue();
        assertThat(one.contains(address("192.0.2.8"))).isFalse();
        assertThat(Cidr.parse("SETTING", "0.0.0.0/0").contains(address("203.0.113.9"))).isTrue();
    }

    @Test
    void anythingElseIsRefusedWithTheSettingAndTheEntryNamed() {
        for (String bad : List.of("example.com", "cafe", "cafe/16", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "10.0.0.0/+8", "10.0.0.0/\u0668",
                "10.0.0.0/0008", "10.0.0.0/ 8", "10.0.0.0/", "fd00::/+8", "10.1/16", "[fd00::]/8", "10.0.0.1:80", "")) {
            assertThatThrownBy(() -> Cidr.parse("SETTING", bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("SETTING: '" + bad + "'");
        }
    }

    private static InetAddress address(String text) {
        return IpLiteral.parse(text).orElseThrow();
    }
}
