package dev.nanolet.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address written out, as an operator writes one in a setting or a proxy in {@code X-Forwarded-For}: an IPv4
 * dotted quad of four decimal numbers 0–255 without leading zeros ({@code 010.0.0.1} could mean octal), or an IPv6
 * address. Nothing else — no name (so nothing is ever resolved), no port, no brackets, no zone, no {@code 10.1}
 * shorthand — and at most {@value #MAX_LENGTH} characters.
 */
public final class IpLiteral {
    /** The longest literal: a full IPv6 address with an IPv4 tail ({@code ffff:...:ffff:255.255.255.255}). */
    public static final int MAX_LENGTH = 45;
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    /** A colon, and a hex digit or a colon first: the JDK takes text that starts otherwise for a name and looks it up. */
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private IpLiteral() {}

    /** The address {@code text} writes, or empty if it is no literal of the kinds above ({@code null} included). */
    public static Optional<InetAddress> parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (IPV4.matcher(text).matches()) {
            byte[] bytes = new byte[4];
            String[] parts = text.split("\\.");
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(parts[i]);
                if (part > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) part;
            }
            return Optional.of(address(bytes));
        }
        if (!IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // a colon: the JDK parses it as an IPv6 literal or refuses it, never resolves
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 bytes are always an address
        }
    }
}
