package io.chatleads.account;

import io.chatleads.RandomIds;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * One-time links with which an owner chooses their password ({@code owner invite}): valid
 * {@link #VALIDITY}, used once. Only the token's SHA-256 is stored.
 */
final class Invites {

    static final Duration VALIDITY = Duration.ofHours(24);
    static final int TOKEN_LENGTH = 32;

    private final Jdbi jdbi;
    private final Clock clock;

    Invites(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A new token for the owner; earlier unused ones stay valid until they expire. */
    String create(String ownerId) {
        String token = RandomIds.urlSafe(TOKEN_LENGTH);
        long now = clock.millis();
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO owner_invites (token_hash, owner_id, created_at, expires_at)
                        VALUES (:tokenHash, :ownerId, :now, :expiresAt)
                        """)
                .bind("tokenHash", SessionStore.hash(token))
                .bind("ownerId", ownerId)
                .bind("now", now)
                .bind("expiresAt", now + VALIDITY.toMillis())
                .execute());
        return token;
    }

    /** The owner a live token (unused, unexpired) belongs to. */
    Optional<String> ownerOf(String token) {
        if (token == null || token.length() != TOKEN_LENGTH) {
            return Optional.empty();
        }
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT owner_id FROM owner_invites
                        WHERE token_hash = :tokenHash AND used_at IS NULL AND expires_at > :now
                        """)
                .bind("tokenHash", SessionStore.hash(token))
                .bind("now", clock.millis())
                .mapTo(String.class)
                .findOne());
    }

    /**
     * Marks the token used and returns its owner, or empty when it was not live: of two requests
     * with one token, exactly one gets the owner (the UPDATE's condition decides).
     */
    Optional<String> use(String token) {
        Optional<String> owner = ownerOf(token);
        if (owner.isEmpty()) {
            return owner;
        }
        int used = jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE owner_invites SET used_at = :now
                        WHERE token_hash = :tokenHash AND used_at IS NULL AND expires_at > :now
                        """)
                .bind("tokenHash", SessionStore.hash(token))
                .bind("now", clock.millis())
                .execute());
        return used == 1 ? owner : Optional.empty();
    }
}
