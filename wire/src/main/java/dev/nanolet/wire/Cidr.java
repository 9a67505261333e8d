package dev.nanolet.wire;

import java.net.InetAddress;

/**
 * A network in CIDR notation, or one address, from an operator's setting: a node's metrics allow-list, the
 * dashboard's trusted proxies. Parsed from {@linkplain IpLiteral literals} only; no name is ever resolved.
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = network.clone();
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /**
     * {@code 10.0.0.0/8}, {@code fd00::/8} or {@code 10.1.2.3} (a prefix length in 1 to 3 ASCII digits).
     *
     * @param setting the setting {@code text} is an entry of, which the message names ({@code NANOLET_METRICS_ALLOW})
     * @throws IllegalArgumentException for anything else, with a message naming {@code setting} and {@code text}
     */
    public static Cidr parse(String setting, String text) {
        int slash = text.indexOf('/');
        byte[] address = IpLiteral.parse(slash < 0 ? text : text.substring(0, slash)).map(InetAddress::getAddress)
                .orElseThrow(() -> new IllegalArgumentException(setting + ": '" + text + "' is not an address or a CIDR network"));
        int bits = address.length * 8;
        long prefix = slash < 0 ? bits : Digits.parse(text.substring(slash + 1), 3).orElse(-1);
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException(setting + ": '" + text + "' has no prefix length from 0 to " + bits);
        }
        return new Cidr(address, (int) prefix);
    }

    /** Whether {@code address} (an IPv4 address also when mapped into IPv6) lies in this network. */
    public boolean contains(InetAddress address) {
        return AddressPrefix.contains(network, prefix, AddressPrefix.unmapped(address.getAddress()));
    }
}
