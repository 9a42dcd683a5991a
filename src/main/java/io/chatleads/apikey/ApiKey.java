package io.chatleads.apikey;

import io.chatleads.Settings.ResponseEnvelope;

import java.time.Instant;

/**
 * An owner's API key as stored: never the secret, only its visible prefix; with the get-leads
 * response shape the integration using it was written for, when it has its own.
 */
public record ApiKey(
        String id,
        String ownerId,
        String name,
        String prefix,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt,
        // null: the server's CHATLEADS_RESPONSE_ENVELOPE
        ResponseEnvelope responseEnvelope) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
