package io.chatleads.apikey;

import java.time.Instant;

/** An owner's API key as stored: never the secret, only its visible prefix. */
public record ApiKey(
        String id,
        String ownerId,
        String name,
        String prefix,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
