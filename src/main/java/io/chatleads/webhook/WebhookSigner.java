package io.chatleads.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signing secrets and the headers that prove an event came from this server.
 * <ul>
 *   <li>{@code x-chatbase-signature}: hex HMAC-SHA1 of the raw body, keyed with the secret string
 *       exactly as the owner was shown it ({@code whsec_…}), as receivers written for the hosted
 *       service compute it.</li>
 *   <li>Standard Webhooks: {@code webhook-signature} = {@code v1,} + base64 HMAC-SHA256 of
 *       {@code id.timestamp.body}, keyed with the base64-decoded part after {@code whsec_}; two of
 *       them, space-separated, while a rotated-out secret is in its grace period.</li>
 * </ul>
 */
final class WebhookSigner {

    public static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {
    }

    /** {@code whsec_} + base64 of 32 random bytes: the Standard Webhooks shape. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The signature headers for one attempt, in the order they are sent. */
    public static Map<String, String> headers(String secret, String webhookId, long timestampSeconds, String body) {
        return headers(secret, null, webhookId, timestampSeconds, body);
    }

    /**
     * The headers signed with {@code secret} and, during a rotation's grace period, also with
     * {@code previousSecret} (else null). Standard Webhooks carries several signatures, space-separated,
     * and a receiver accepts the event when any one verifies: the new secret's comes first, then the
     * old one's, so a receiver holding either accepts it. {@code x-chatbase-signature} has room for
     * one, and takes the new secret: receivers of that header switch secrets when they rotate.
     */
    public static Map<String, String> headers(String secret, String previousSecret, String webhookId, long timestampSeconds,
                                              String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-chatbase-signature", chatbaseSignature(secret, body));
        headers.put("webhook-id", webhookId);
        headers.put("webhook-timestamp", Long.toString(timestampSeconds));
        String signatures = standardSignature(secret, webhookId, timestampSeconds, body);
        if (previousSecret != null) {
            signatures += " " + standardSignature(previousSecret, webhookId, timestampSeconds, body);
        }
        headers.put("webhook-signature", signatures);
        return headers;
    }

    public static String chatbaseSignature(String secret, String body) {
        return HexFormat.of().formatHex(hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), body));
    }

    public static String standardSignature(String secret, String webhookId, long timestampSeconds, String body) {
        byte[] key = Base64.getDecoder().decode(secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret);
        return "v1," + Base64.getEncoder().encodeToString(
                hmac("HmacSHA256", key, webhookId + "." + timestampSeconds + "." + body));
    }

    private static byte[] hmac(String algorithm, byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
