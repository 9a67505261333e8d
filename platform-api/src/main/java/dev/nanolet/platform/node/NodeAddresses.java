package dev.nanolet.platform.node;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a node address may be: {@code http(s)://host[:port]} and nothing else (no user info, path,
 * query or fragment), where host is a DNS name or an IP literal that is not link-local,
 * unspecified, multicast or a cloud metadata endpoint. platform-api calls node addresses and
 * nodes forward users' requests to them, so an address must not point at what the cluster's
 * metadata service would answer.
 */
public final class NodeAddresses {
    private static final Pattern DNS_NAME = Pattern.compile(
            "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?$");
    private static final Pattern DOTTED_QUAD = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
    private static final Set<String> METADATA_NAMES = Set.of("metadata", "metadata.google.internal",
            "metadata.goog", "instance-data", "instance-data.ec2.internal");
    private static final Set<String> METADATA_ADDRESSES = Set.of("100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

    private NodeAddresses() {}

    /** The address in its stored form (no trailing slash), or what is wrong with it. */
    static Checked check(String address) {
        if (address == null || address.isBlank()) {
            return Checked.bad("is required: an http(s) URL such as http://host:8181");
        }
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            return Checked.bad("is not a URL; use http(s)://host:port");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Checked.bad("must be an http(s) URL such as http://host:8181");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))) {
            return Checked.bad("must be only scheme, host and port: no user info, path, query or fragment");
        }
        String host = uri.getHost();
        if (host == null) {
            return Checked.bad("must name a host");
        }
        Optional<String> refused = refusedHost(host);
        if (refused.isPresent()) {
            return Checked.bad(refused.get());
        }
        return new Checked(scheme + "://" + uri.getRawAuthority(), null);
    }

    /**
     * Why platform-api must not call {@code address} (a resolved IP): link-local, unspecified,
     * multicast or a metadata endpoint. Checked again when a call is made, so a DNS name that
     * resolves there later is refused too.
     */
    public static Optional<String> refusedTarget(InetAddress address) {
        if (address.isLinkLocalAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()
                || METADATA_ADDRESSES.contains(address.getHostAddress())) {
            return Optional.of("must not be a link-local, unspecified, multicast or metadata address");
        }
        return Optional.empty();
    }

    private static Optional<String> refusedHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            try {
                return refusedTarget(InetAddress.getByName(h.substring(1, h.length() - 1)));
            } catch (UnknownHostException e) {
                return Optional.of("is not a valid IPv6 address");
            }
        }
        if (!DNS_NAME.matcher(h).matches()) {
            return Optional.of("must have a DNS name or an IP address as host");
        }
        if (METADATA_NAMES.contains(h.endsWith(".") ? h.substring(0, h.length() - 1) : h)) {
            return Optional.of("must not be a metadata endpoint");
        }
        if (h.matches("^[0-9.]+$")) {
            var quad = DOTTED_QUAD.matcher(h);
            if (!quad.matches()) {
                return Optional.of("must write an IPv4 address as four decimal numbers");
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(quad.group(i + 1));
                if (part > 255) {
                    return Optional.of("must write an IPv4 address as four decimal numbers");
                }
                bytes[i] = (byte) part;
            }
            try {
                return refusedTarget(InetAddress.getByAddress(bytes));
            } catch (UnknownHostException e) {
                return Optional.of("is not a valid IPv4 address");
            }
        }
        return Optional.empty();
    }

    /** A checked address: {@code address} in stored form when {@code problem} is null. */
    record Checked(String address, String problem) {
        static Checked bad(String problem) {
            return new Checked(null, problem);
        }
    }
}
