package io.chatleads.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a widget client is counted by: an IPv4 address, or an IPv6 address's /64. */
class RateLimitsNetworkTest {

    @Test
    void ipv4IsCountedByItsAddress() {
        assertEquals("192.0.2.7", RateLimits.network("192.0.2.7"));
        assertEquals("192.0.2.7", RateLimits.network(" 192.0.2.7 "));
        assertEquals("192.0.2.7", RateLimits.network("::ffff:192.0.2.7"), "IPv4 written as IPv6 is that IPv4 address");
    }

    @Test
    void ipv6IsCountedByItsSlash64() {
        String network = RateLimits.network("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
        assertEquals("2001:db8:1:2::/64", network);
        assertEquals(network, RateLimits.network("2001:0db8:0001:0002:0000:0000:0000:0001"), "written another way");
        assertEquals(network, RateLimits.network("[2001:db8:1:2::99]"));
        assertEquals(network, RateLimits.network("2001:db8:1:2::5%eth0"), "a zone changes nothing");
        assertEquals("2001:db8:1:3::/64", RateLimits.network("2001:db8:1:3::1"), "the next /64 is another client");
        assertEquals("::/64", RateLimits.network("0:0:0:0:0:0:0:1"));
    }

    @Test
    void whatIsNotAnAddressIsCountedAsItIsAndNeverLookedUp() {
        assertEquals("unknown", RateLimits.network(" unknown "));
        assertEquals("localhost", RateLimits.network("localhost"));
    }
}
