package io.chatleads.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Which endpoints events may be sent to. Applied when a webhook is registered and again before every
 * attempt, because DNS can change in between. An endpoint is refused when any address its host
 * resolves to is in a non-public range. Before an attempt the host is resolved exactly once
 * ({@link #resolveChecked}) and the attempt connects to an address of that answer, so a name that
 * answers differently the next time (DNS rebinding) cannot reach an address that was not checked.
 * {@code CHATLEADS_WEBHOOK_ALLOW_PRIVATE=true} lifts the address rule (tests, private deployments);
 * the URL shape rule always holds.
 */
public final class EndpointPolicy {

    public static final String ALLOW_PRIVATE_SETTING = "CHATLEADS_WEBHOOK_ALLOW_PRIVATE";
    static final int MAX_LENGTH = 2048;

    /** A refused endpoint; the message names the reason and is safe to show the owner. */
    public static final class EndpointRefused extends RuntimeException {
        EndpointRefused(String message) {
            super(message, null, false, false);
        }
    }

    /** Host name resolution, replaceable so tests can check names without a DNS server. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private record Range(byte[] prefix, int bits) {
        static Range of(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                return new Range(InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
                        Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Not publicly routable, or where cloud metadata services live (169.254.169.254, fd00:ec2::254). */
    private static final List<Range> REFUSED = List.of(
            Range.of("0.0.0.0/8"),          // "this network"
            Range.of("10.0.0.0/8"),         // private
            Range.of("100.64.0.0/10"),      // carrier-grade NAT
            Range.of("127.0.0.0/8"),        // loopback
            Range.of("169.254.0.0/16"),     // link-local, cloud metadata
            Range.of("172.16.0.0/12"),      // private
            Range.of("192.0.0.0/24"),       // IETF protocol assignments
            Range.of("192.0.2.0/24"),       // documentation
            Range.of("192.168.0.0/16"),     // private
            Range.of("198.18.0.0/15"),      // benchmarking
            Range.of("198.51.100.0/24"),    // documentation
            Range.of("203.0.113.0/24"),     // documentation
            Range.of("224.0.0.0/4"),        // multicast
            Range.of("240.0.0.0/4"),        // reserved, broadcast
            Range.of("::/128"),             // unspecified
            Range.of("::1/128"),            // loopback
            Range.of("64:ff9b:1::/48"),     // local-use NAT64 (RFC 8215): translates to any IPv4, private ones included
            Range.of("100::/64"),           // discard-only (RFC 6666)
            Range.of("2001::/32"),          // Teredo: tunnels to an IPv4 host, which may be private
            Range.of("fc00::/7"),           // unique local
            Range.of("fe80::/10"),          // link-local
            Range.of("fec0::/10"),          // site-local (deprecated)
            Range.of("ff00::/8"),           // multicast
            Range.of("2001:db8::/32"));     // documentation

    private final boolean allowPrivate;
    private final Resolver resolver;

    public EndpointPolicy(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public EndpointPolicy(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /** The endpoint as a URI when both its shape and its addresses are acceptable. */
    public URI check(String endpoint) {
        URI uri = parse(endpoint);
        checkAddresses(uri);
        return uri;
    }

    /** The shape rule only: an absolute http(s) URL with a host and no user info or fragment. */
    public static URI parse(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new EndpointRefused("endpoint is required");
        }
        if (endpoint.length() > MAX_LENGTH) {
            throw new EndpointRefused("endpoint must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(endpoint.strip());
        } catch (URISyntaxException e) {
            throw new EndpointRefused("endpoint is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new EndpointRefused("endpoint must be an absolute http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new EndpointRefused("endpoint must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new EndpointRefused("endpoint must not contain user info (user:password@)");
        }
        if (uri.getRawFragment() != null) {
            throw new EndpointRefused("endpoint must not contain a fragment (#…)");
        }
        // URI accepts any digits as a port; no connection could ever be made to 0 or past 65535.
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new EndpointRefused("endpoint port must be 1 to 65535, got " + uri.getPort());
        }
        return uri;
    }

    /** The address rule, resolving the host now; a no-op when private addresses are allowed. */
    public void checkAddresses(URI uri) {
        if (allowPrivate) {
            return;
        }
        resolveChecked(uri);
    }

    /**
     * Resolves the endpoint's host once and checks every address of the answer (unless private
     * addresses are allowed); the addresses, in the resolver's order, to connect to. Connecting to
     * one of these, and never resolving the name again, is what keeps the check true for the
     * connection.
     */
    public List<InetAddress> resolveChecked(URI uri) {
        String host = host(uri);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new EndpointRefused("endpoint host '" + host + "' does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new EndpointRefused("endpoint host '" + host + "' does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (refused(address)) {
                    throw new EndpointRefused("endpoint host '" + host + "' resolves to " + address.getHostAddress()
                            + ", a loopback, private, link-local or otherwise non-public address; " + ALLOW_PRIVATE_SETTING
                            + "=true on the server allows such endpoints");
                }
            }
        }
        return List.of(addresses);
    }

    /** The URI's host as a resolver takes it: an IPv6 literal without its brackets. */
    static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static boolean refused(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            byte[] embedded = embeddedIpv4(bytes);
            if (embedded != null) {
                bytes = embedded;
            }
        }
        for (Range range : REFUSED) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The IPv4 address inside IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64
     * (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::) addresses, which reach that IPv4 host.
     */
    private static byte[] embeddedIpv4(byte[] v6) {
        boolean zeroHigh = true;
        for (int i = 0; i < 10; i++) {
            zeroHigh &= v6[i] == 0;
        }
        if (zeroHigh && ((v6[10] == (byte) 0xff && v6[11] == (byte) 0xff) || (v6[10] == 0 && v6[11] == 0 && !allZero(v6, 12, 16)))) {
            return new byte[]{v6[12], v6[13], v6[14], v6[15]};
        }
        if (v6[0] == 0 && v6[1] == 0x64 && v6[2] == (byte) 0xff && v6[3] == (byte) 0x9b && allZero(v6, 4, 12)) {
            return new byte[]{v6[12], v6[13], v6[14], v6[15]};
        }
        if (v6[0] == 0x20 && v6[1] == 0x02) {
            return new byte[]{v6[2], v6[3], v6[4], v6[5]};
        }
        return null;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
