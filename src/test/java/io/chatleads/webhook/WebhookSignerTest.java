package io.chatleads.webhook;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignerTest {

    /** The example in the Standard Webhooks specification. */
    @Test
    void standardSignatureMatchesTheSpecificationsExample() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSigner.standardSignature(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}"));
    }

    /** Computed independently: printf '{"a":1}' | openssl dgst -sha1 -hmac 'whsec_test'. */
    @Test
    void chatbaseSignatureIsHexHmacSha1OfTheBodyKeyedWithTheSecretString() {
        assertEquals("32b8b8c441e2992bd58ffb98f654ce2949ef937b",
                WebhookSigner.chatbaseSignature("whsec_test", "{\"a\":1}"));
    }

    @Test
    void secretsHaveTheStandardShapeAndDiffer() {
        String a = WebhookSigner.newSecret();
        String b = WebhookSigner.newSecret();
        assertTrue(a.startsWith("whsec_"));
        assertEquals(32, java.util.Base64.getDecoder().decode(a.substring(6)).length);
        assertTrue(!a.equals(b));
    }

    @Test
    void headersAreSentInAFixedSet() {
        Map<String, String> headers = WebhookSigner.headers(WebhookSigner.newSecret(), "msg_1", 1700000000, "{}");
        assertEquals(List.of("x-chatbase-signature", "webhook-id", "webhook-timestamp", "webhook-signature"),
                List.copyOf(headers.keySet()));
        assertEquals("1700000000", headers.get("webhook-timestamp"));
    }
}
