package io.chatleads.apikey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Turns a presented secret into the live key it belongs to. */
public final class ApiKeyAuthenticator {

    // last_used_at is for humans deciding which keys to revoke; minute precision spares a write per request.
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private final ApiKeyRepository keys;
    private final Clock clock;

    public ApiKeyAuthenticator(ApiKeyRepository keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The key, when the secret belongs to one that is not revoked. */
    public Optional<ApiKey> authenticate(String secret) {
        if (!secret.startsWith(ApiKeyRepository.SECRET_PREFIX)) {
            return Optional.empty();
        }
        Optional<ApiKey> key = keys.findBySecret(secret).filter(k -> !k.revoked());
        key.ifPresent(this::recordUse);
        return key;
    }

    private void recordUse(ApiKey key) {
        Instant now = clock.instant();
        if (key.lastUsedAt() == null || key.lastUsedAt().plus(LAST_USED_PRECISION).isBefore(now)) {
            keys.markUsed(key.id(), now);
        }
    }
}
