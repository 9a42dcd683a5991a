package io.chatleads.webhook;

import java.time.Instant;

/**
 * A webhook's new signing secret, shown this once, and until when the secret it replaced still signs
 * beside it ({@code previousSecretExpiresAt} null: the old one stopped at once).
 */
public record RotatedSecret(Webhook webhook, String secret, Instant previousSecretExpiresAt) {

    /** Keeps the secret out of logs and exception messages. */
    @Override
    public String toString() {
        return "RotatedSecret[webhook=" + webhook + ", secret=****, previousSecretExpiresAt=" + previousSecretExpiresAt + "]";
    }
}
