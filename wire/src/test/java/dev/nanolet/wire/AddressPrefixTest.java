package dev.nanolet.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressPrefixTest {

    private static final byte[] V4 = bytes("192.0.2.77");
    private static final byte[] V6 = bytes("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
    /** {@code ::ffff:192.0.2.77} as 16 bytes: Java's own parser would hand it back as the IPv4 address. */
    private static final byte[] MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 77};

    @Test
    void aNetworkKeepsThePrefixAndZeroesTheRest() {
        assertThat(AddressPrefix.network(V4, 0)).isEqualTo(bytes("0.0.0.0"));
        assertThat(AddressPrefix.network(V4, 20)).isEqualTo(bytes("192.0.0.0"));
        assertThat(AddressPrefix.network(V4, 27)).isEqualTo(bytes("192.0.2.64"));
        assertThat(AddressPrefix.network(V4, 32)).isEqualTo(V4);
        assertThat(AddressPrefix.network(V6, 0)).isEqualTo(bytes("::"));
        assertThat(AddressPrefix.network(V6, 64)).isEqualTo(bytes("2001:db8:1:2::"));
        assertThat(AddressPrefix.network(V6, 68)).isEqualTo(bytes("2001:db8:1:2:a000::"));
        assertThat(AddressPrefix.network(V6, 128)).isEqualTo(V6);
        assertThat(AddressPrefix.network(MAPPED, 64)).isEqualTo(bytes("::"));
        assertThat(AddressPrefix.network(MAPPED, 128)).isEqualTo(MAPPED);
    }

    @Test
    void aLengthPastTheAddressOrBelowZeroIsRefused() {
        assertThatThrownBy(() -> AddressPrefix.network(V4, 33)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> AddressPrefix.network(V6, 129)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 128");
        assertThatThrownBy(() -> AddressPrefix.network(V6, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressPrefix.contains(V4, 64, V4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIpv4MappedAddressIsUnmappedAndNothingElseIs() {
        assertThat(AddressPrefix.unmapped(MAPPED)).isEqualTo(V4);
        assertThat(AddressPrefix.unmapped(V4)).isEqualTo(V4);
        assertThat(AddressPrefix.unmapped(V6)).isEqualTo(V6);
        assertThat(AddressPrefix.unmapped(bytes("::1"))).hasSize(16);
    }

    @Test
    void anAddressIsInANetworkOfItsOwnFamilyOnly() {
        assertThat(AddressPrefix.contains(bytes("192.0.2.0"), 24, V4)).isTrue();
        assertThat(AddressPrefix.contains(bytes("192.0.3.0"), 24, V4)).isFalse();
        assertThat(AddressPrefix.contains(bytes("10.0.0.0"), 0, V4)).as("/0 holds every IPv4 address").isTrue();
        assertThat(AddressPrefix.contains(V4, 32, bytes("192.0.2.78"))).isFalse();
        assertThat(AddressPrefix.contains(bytes("2001:db8:1:2::"), 64, V6)).isTrue();
        assertThat(AddressPrefix.contains(bytes("2001:db8:1:3::"), 64, V6)).isFalse();
        assertThat(AddressPrefix.contains(V6, 128, V6)).isTrue();
        assertThat(AddressPrefix.contains(bytes("::"), 0, V4)).as("an IPv4 address is in no IPv6 network").isFalse();
        assertThat(AddressPrefix.contains(bytes("::"), 0, MAPPED)).as("nor is it mapped, unless unmapped first").isTrue();
        assertThat(AddressPrefix.contains(bytes("192.0.2.0"), 24, MAPPED)).isFalse();
        assertThat(AddressPrefix.contains(bytes("192.0.2.0"), 24, AddressPrefix.unmapped(MAPPED))).isTrue();
    }

    @Test
    void theArgumentsAreNeverChanged() {
        byte[] v6 = V6.clone();
        AddressPrefix.network(v6, 0);
        AddressPrefix.unmapped(v6);
        assertThat(v6).isEqualTo(V6);
    }

    private static byte[] bytes(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
