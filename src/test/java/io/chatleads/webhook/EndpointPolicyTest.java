package io.chatleads.webhook;

import io.chatleads.webhook.EndpointPolicy.EndpointRefused;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndpointPolicyTest {

    private final EndpointPolicy strict = new EndpointPolicy(false);

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/hook", "http://127.1.2.3:8080/", "http://localhost/hook", "http://0.0.0.0/",
            "http://10.0.0.1/", "http://172.16.5.4/", "http://172.31.255.255/", "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/", "http://169.254.1.1/", "http://100.64.0.1/", "http://100.127.255.254/",
            "http://224.0.0.1/", "http://255.255.255.255/",
            "http://[::1]/", "http://[::]/", "http://[fd00::1]/", "http://[fd00:ec2::254]/", "http://[fe80::1]/",
            "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:7f00:1::]/",
            // Teredo, local-use NAT64, discard-only (issue 20)
            "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "http://[2001::1]/", "http://[64:ff9b:1::a00:1]/",
            "http://[64:ff9b:1:ffff::1]/", "http://[100::1]/", "http://[100::ffff:ffff:ffff:ffff]/",
            "http://2130706433/", "http://0x7f000001/"})
    void nonPublicAddressesAreRefused(String endpoint) {
        EndpointRefused refused = assertThrows(EndpointRefused.class, () -> strict.check(endpoint));
        assertTrue(refused.getMessage().startsWith("endpoint host"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.215.14/hook", "http://8.8.8.8:8080/x?y=1", "https://[2606:4700:4700::1111]/",
            "http://172.32.0.1/", "http://100.128.0.1/", "http://11.0.0.1/",
            // just outside the ranges added for issue 20
            "http://[2001:1::1]/", "http://[64:ff9b:2::1]/", "http://[100:0:0:1::1]/"})
    void publicAddressesAreAccepted(String endpoint) {
        assertDoesNotThrow(() -> strict.check(endpoint));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/", "/hook", "example.com/hook", "https://", "javascript:alert(1)",
            "file:///etc/passwd", "https://user:pw@example.com/", "https://example.com/#frag", "http://exa mple.com/", " "})
    void onlyAbsoluteHttpUrlsAreAccepted(String endpoint) {
        EndpointRefused refused = assertThrows(EndpointRefused.class, () -> new EndpointPolicy(true).check(endpoint));
        assertTrue(refused.getMessage().startsWith("endpoint"), refused.getMessage());
    }

    /** java.net.URI takes any digits as a port: 99999 was registered, and every delivery then failed. */
    @ParameterizedTest
    @ValueSource(strings = {"https://example.com:0/", "https://example.com:65536/", "https://example.com:99999/hook"})
    void aPortOutsideOneTo65535IsRefused(String endpoint) {
        EndpointRefused refused = assertThrows(EndpointRefused.class, () -> new EndpointPolicy(true).check(endpoint));
        assertTrue(refused.getMessage().startsWith("endpoint port must be 1 to 65535"), refused.getMessage());
        assertDoesNotThrow(() -> new EndpointPolicy(true).check("https://example.com:65535/hook"));
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIsPrivate() throws Exception {
        InetAddress[] mixed = {InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.1.2.3")};
        EndpointPolicy policy = new EndpointPolicy(false, host -> mixed);
        EndpointRefused refused = assertThrows(EndpointRefused.class, () -> policy.check("https://rebinding.example/hook"));
        assertEquals("endpoint host 'rebinding.example' resolves to 10.1.2.3, a loopback, private, link-local or otherwise non-public"
                + " address; CHATLEADS_WEBHOOK_ALLOW_PRIVATE=true on the server allows such endpoints", refused.getMessage());
    }

    @Test
    void theRefusalOfAPrivateAddressNamesTheSettingThatAllowsIt() {
        EndpointRefused refused = assertThrows(EndpointRefused.class, () -> strict.check("http://10.0.0.7/hook"));
        assertTrue(refused.getMessage().contains(EndpointPolicy.ALLOW_PRIVATE_SETTING + "=true"), refused.getMessage());
    }

    /** One look-up per check, every address of it checked, and the addresses handed back to connect to. */
    @Test
    void resolveCheckedLooksUpOnceAndReturnsTheCheckedAddresses() throws Exception {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        InetAddress[] answer = {InetAddress.getByName("93.184.215.14"), InetAddress.getByName("2606:4700:4700::1111")};
        EndpointPolicy policy = new EndpointPolicy(false, host -> {
            lookups.incrementAndGet();
            return answer;
        });
        assertEquals(java.util.List.of(answer), policy.resolveChecked(java.net.URI.create("https://hooks.example/x")));
        assertEquals(1, lookups.get());
        InetAddress[] none = {};
        assertThrows(EndpointRefused.class, () -> new EndpointPolicy(true, host -> none).resolveChecked(java.net.URI.create("https://a.example/")));
    }

    @Test
    void aNameThatDoesNotResolveIsRefused() {
        EndpointPolicy policy = new EndpointPolicy(false, host -> {
            throw new java.net.UnknownHostException(host);
        });
        assertThrows(EndpointRefused.class, () -> policy.check("https://nowhere.invalid/"));
    }

    @Test
    void allowPrivateLiftsTheAddressRuleOnly() {
        EndpointPolicy open = new EndpointPolicy(true);
        assertDoesNotThrow(() -> open.check("http://127.0.0.1:9/hook"));
        assertThrows(EndpointRefused.class, () -> open.check("ftp://127.0.0.1/"));
    }
}
