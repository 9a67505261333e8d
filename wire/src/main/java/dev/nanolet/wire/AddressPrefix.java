package dev.nanolet.wire;

import java.util.Arrays;

/**
 * Prefix arithmetic on IP addresses, given as their bytes (4 for IPv4, 16 for IPv6): one definition
 * for the dashboard's sign-in throttle, which counts an IPv6 client by its /64, and a node's metrics
 * allow-list of CIDR networks. Nothing is resolved; every method copies, never changes its arguments.
 */
public final class AddressPrefix {

    private static final byte[] IPV4_MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private AddressPrefix() {}

    /** {@code address}, or the IPv4 address's 4 bytes if it is an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}). */
    public static byte[] unmapped(byte[] address) {
        return address.length == 16 && Arrays.equals(address, 0, 12, IPV4_MAPPED, 0, 12)
                ? Arrays.copyOfRange(address, 12, 16) : address.clone();
    }

    /**
     * The network of {@code address}'s first {@code length} bits: those bits, and every later one zero.
     *
     * @throws IllegalArgumentException if {@code length} is not from 0 to the address's bits (32 or 128)
     */
    public static byte[] network(byte[] address, int length) {
        if (length < 0 || length > address.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " is not from 0 to " + address.length * 8);
        }
        byte[] network = address.clone();
        for (int i = length / 8; i < network.length; i++) {
            int kept = Math.max(0, length - i * 8); // bits of this byte inside the prefix: 0 to 7
            network[i] &= (byte) (0xff00 >>> kept);
        }
        return network;
    }

    /**
     * Whether {@code address} lies in the network of {@code network}'s first {@code length} bits: same family
     * (an IPv4 address is never in an IPv6 network, nor the other way round), same first {@code length} bits.
     *
     * @throws IllegalArgumentException if {@code length} is not from 0 to {@code network}'s bits
     */
    public static boolean contains(byte[] network, int length, byte[] address) {
        return address.length == network.length && Arrays.equals(network(network, length), network(address, length));
    }
}
