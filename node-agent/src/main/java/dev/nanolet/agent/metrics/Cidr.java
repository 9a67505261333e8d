package dev.nanolet.agent.metrics;

import dev.nanolet.wire.AddressPrefix;
import dev.nanolet.wire.Digits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** A network in CIDR notation, or one address; parsed from literals only (no name is ever resolved). */
record Cidr(byte[] network, int prefix) {

    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    /** {@code 10.0.0.0/8}, {@code fd00::/8} or {@code 10.1.2.3} (a prefix length in 1 to 3 ASCII digits); a clear message for anything else. */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        if (!LITERAL.matcher(host).matches()) {
            throw new IllegalArgumentException("NANOLET_METRICS_ALLOW: '" + text + "' is not an address or a CIDR network");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("NANOLET_METRICS_ALLOW: '" + text + "' is not an address or a CIDR network");
        }
        int bits = address.length * 8;
        long prefix = slash < 0 ? bits : Digits.parse(text.substring(slash + 1), 3).orElse(-1);
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("NANOLET_METRICS_ALLOW: '" + text + "' has no prefix length from 0 to " + bits);
        }
        return new Cidr(address, (int) prefix);
    }

    boolean contains(InetAddress address) {
        return AddressPrefix.contains(network, prefix, address.getAddress());
    }
}
