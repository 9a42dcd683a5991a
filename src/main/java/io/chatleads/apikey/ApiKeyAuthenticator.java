package io.chatleads.apikey;

import io.chatleads.Cache;
import io.chatleads.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Turns a presented secret into the live key it belongs to.
 *
 * <p>With a non-zero TTL, keys that verified are remembered for that long, so the hot path of an
 * API call costs one SHA-256 and a map lookup instead of a database round trip. A key revoked
 * through this JVM's {@link ApiKeyRepository} is forgotten at once; one revoked elsewhere (another
 * server, the command line) stops here within the TTL. Unknown and revoked secrets are never
 * remembered, so a key works the moment it is created.
 */
public final class ApiKeyAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticator.class);
    // Revocations are looked for this far back, so clocks that disagree across servers by less than
    // this still see each other's revocations at the next poll; beyond it, the TTL still bounds them.
    private static final Duration REVOCATION_LOOKBACK = Duration.ofMinutes(1);

    // last_used_at is for humans deciding which keys to revoke; minute precision spares a write per request.
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);
    // A bound on memory if someone cycles through very many live keys; the least used go first.
    private static final int MAX_ENTRIES = 100_000;

    private final ApiKeyRepository keys;
    private final Clock clock;
    // Where last_used_at is written: never on an event loop, whichever way the key was read.
    private final Executor loads;
    // Keyed by the secret's SHA-256, as stored: the plaintext secret is never kept. Only keys that
    // verified are kept; forgetting a revoked key also stops a look-up under way from keeping it.
    private final Cache<String, ApiKey> verified;

    /**
     * {@code loads}: where a key is read through JDBC on a cache miss (see {@link Cache}), and where
     * its use is written; it must not run a task on the calling thread when that is an event loop.
     */
    public ApiKeyAuthenticator(ApiKeyRepository keys, Clock clock, Duration cacheTtl, Executor loads) {
        this.keys = keys;
        this.clock = clock;
        this.loads = loads;
        this.verified = new Cache<>(cacheTtl, MAX_ENTRIES, this::verify, loads);
        keys.onRevoke(this::forget);
    }

    /** The key, when the secret belongs to one that is not revoked; else null. Done at once on a cache hit. */
    public CompletableFuture<ApiKey> authenticate(String secret) {
        return authenticate(secret, null);
    }

    /**
     * {@link #authenticate(String)}, a miss read through {@code read} instead of JDBC on a worker
     * (null: JDBC, as {@link #authenticate(String)}): the key whose secret has this hash, revoked or
     * not, or null ({@link ApiKeyRepository#readByHash}, on an event loop's own connection). The
     * same cache, and the same answer: a revoked key is not kept, and a use is recorded.
     */
    public CompletableFuture<ApiKey> authenticate(String secret, Function<String, CompletionStage<ApiKey>> read) {
        if (!secret.startsWith(ApiKeyRepository.SECRET_PREFIX)) {
            return CompletableFuture.completedFuture(null);
        }
        // Keyed by the secret's hash, as stored. The TTL counts from the database read: a
        // revocation that commits after it is caught no later than one TTL after it.
        return verified.get(ApiKeyRepository.hash(secret), read == null ? null : hash -> read.apply(hash).thenApply(this::live));
    }

    private ApiKey verify(String hash) {
        return live(keys.findByHash(hash).orElse(null));
    }

    /** The key read, when there is one and it is not revoked, its use recorded; else null. */
    private ApiKey live(ApiKey key) {
        if (key == null || key.revoked()) {
            return null;
        }
        recordUse(key);
        return key;
    }

    /**
     * Looks every {@code interval} for keys that other processes revoked (the command line, other
     * servers) and drops them from the cache, so they stop here within about one interval instead
     * of one TTL. Nothing to do without a cache. Close the result to stop.
     */
    public AutoCloseable watchRevocations(Duration interval) {
        if (!verified.keepsValues()) {
            return () -> { };
        }
        // On failure the TTL still bounds how long a revoked key lives.
        return Periodic.every(interval, "chatleads-key-revocations", this::forgetRecentRevocations,
                e -> log.warn("cannot look for revoked keys: {}", e.getMessage()));
    }

    /** Drops from the cache every key revoked within the look-back window, by whichever process. */
    void forgetRecentRevocations() {
        if (verified.isEmpty()) {
            return;
        }
        keys.revokedSince(clock.millis() - REVOCATION_LOOKBACK.toMillis()).forEach(this::forget);
    }

    /** Drops the key with this id from the cache; called when this JVM revokes it. */
    void forget(String keyId) {
        verified.forgetIf(key -> key.id().equals(keyId));
    }

    /**
     * Writes last_used_at when the stored one is more than a minute old: on the {@code loads}
     * executor, which runs it at once on a worker (the JDBC read's own thread) and hands it to a
     * thread of its own from an event loop, where the key was read without JDBC and a write must not
     * block. A failed write is only logged: the key did verify, and the column is for humans.
     */
    private void recordUse(ApiKey key) {
        Instant now = clock.instant();
        if (key.lastUsedAt() == null || key.lastUsedAt().plus(LAST_USED_PRECISION).isBefore(now)) {
            loads.execute(() -> {
                try {
                    keys.markUsed(key.id(), now);
                } catch (RuntimeException e) {
                    log.warn("cannot record the use of API key {}: {}", key.prefix(), e.getMessage());
                }
            });
        }
    }
}
