package io.chatleads.apikey;

import io.chatleads.Settings.ResponseEnvelope;

import io.chatleads.RandomIds;
import io.chatleads.db.LoopConnections;
import io.chatleads.db.PositionalSql;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** API keys: the secret is generated here, returned once, and only its SHA-256 hash is stored. */
public final class ApiKeyRepository {

    /** Recognisable in logs and secret scanners; the 32 random bytes that follow carry 256 bits. */
    public static final String SECRET_PREFIX = "cl_";
    private static final int VISIBLE_PREFIX_LENGTH = SECRET_PREFIX.length() + 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final RowMapper<ApiKey> API_KEY = (rs, ctx) -> new ApiKey(
            rs.getString("id"),
            rs.getString("owner_id"),
            rs.getString("name"),
            rs.getString("prefix"),
            Instant.ofEpochMilli(rs.getLong("created_at")),
            instantOrNull(rs, "last_used_at"),
            instantOrNull(rs, "revoked_at"),
            envelopeOrNull(rs.getString("response_envelope")));

    private static final String COLUMNS = "id, owner_id, name, prefix, created_at, last_used_at, revoked_at, response_envelope";

    // The key whose secret this hash is, revoked or not, no row when there is none: one look-up on
    // the unique index of secret_hash.
    private static final String BY_HASH_SQL = "SELECT " + COLUMNS + " FROM api_keys WHERE secret_hash = :secretHash";
    private static final String BY_HASH_NUMBERED_SQL = PositionalSql.of(BY_HASH_SQL).numberedText();

    private final Jdbi jdbi;
    private final Clock clock;
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();

    public ApiKeyRepository(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A key just created, with the only copy of its secret. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    public CreatedKey create(String ownerId, String name) {
        return create(ownerId, name, null);
    }

    /** {@code envelope}: the key's own get-leads response shape, null for the server's default. */
    public CreatedKey create(String ownerId, String name, ResponseEnvelope envelope) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiKey key = new ApiKey("key_" + RandomIds.urlSafe(16), ownerId, name,
                secret.substring(0, VISIBLE_PREFIX_LENGTH), Instant.ofEpochMilli(clock.millis()), null, null, envelope);
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO api_keys (id, owner_id, name, prefix, secret_hash, created_at, response_envelope)
                        VALUES (:id, :ownerId, :name, :prefix, :secretHash, :createdAt, :envelope)
                        """)
                .bind("envelope", envelope == null ? null : envelope.value())
                .bind("id", key.id())
                .bind("ownerId", key.ownerId())
                .bind("name", key.name())
                .bind("prefix", key.prefix())
                .bind("secretHash", hash(secret))
                .bind("createdAt", key.createdAt().toEpochMilli())
                .execute());
        return new CreatedKey(key, secret);
    }

    /** The key whose secret this is, revoked or not; the caller decides what a revoked key means. */
    public Optional<ApiKey> findBySecret(String secret) {
        return findByHash(hash(secret));
    }

    /** As {@link #findBySecret}, given the secret's {@link #hash}. */
    Optional<ApiKey> findByHash(String secretHash) {
        return jdbi.withHandle(handle -> handle.createQuery(BY_HASH_SQL)
                .bind("secretHash", secretHash)
                .map(API_KEY)
                .findOne());
    }

    /**
     * {@link #findByHash} read on an event loop's own connection: the key, revoked or not, or null
     * when there is none; the same query and the same columns as the JDBC read.
     */
    public static CompletionStage<ApiKey> readByHash(LoopConnections connections, String secretHash) {
        return connections.read(connection -> connection.preparedQuery(BY_HASH_NUMBERED_SQL).execute(Tuple.of(secretHash)))
                .map(rows -> rows.size() == 0 ? (ApiKey) null : apiKey(rows.iterator().next()))
                .toCompletionStage();
    }

    /** {@link #API_KEY} for a vertx-pg-client row. */
    private static ApiKey apiKey(Row row) {
        Long lastUsedAt = row.getLong("last_used_at");
        Long revokedAt = row.getLong("revoked_at");
        return new ApiKey(row.getString("id"), row.getString("owner_id"), row.getString("name"), row.getString("prefix"),
                Instant.ofEpochMilli(row.getLong("created_at")),
                lastUsedAt == null ? null : Instant.ofEpochMilli(lastUsedAt),
                revokedAt == null ? null : Instant.ofEpochMilli(revokedAt),
                envelopeOrNull(row.getString("response_envelope")));
    }

    /**
     * Calls {@code listener} with the key id after every revocation (or change of shape) through
     * this repository, so that caches in this JVM ({@link ApiKeyAuthenticator}) drop the key at once.
     */
    public void onRevoke(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    /** Ids of keys revoked at or after {@code sinceMillis}, by any process on this database. */
    public List<String> revokedSince(long sinceMillis) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id FROM api_keys WHERE revoked_at >= :since
                        """)
                .bind("since", sinceMillis)
                .mapTo(String.class)
                .list());
    }

    public Optional<ApiKey> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM api_keys WHERE id = :id")
                .bind("id", id)
                .map(API_KEY)
                .findOne());
    }

    public List<ApiKey> listByOwner(String ownerId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM api_keys WHERE owner_id = :ownerId ORDER BY created_at, id")
                .bind("ownerId", ownerId)
                .map(API_KEY)
                .list());
    }

    /** Revokes the key; true when it exists. Revoking twice keeps the first revocation time. */
    public boolean revoke(String id) {
        boolean found = jdbi.withHandle(handle -> {
            handle.createUpdate("""
                            UPDATE api_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL
                            """)
                    .bind("id", id)
                    .bind("now", clock.millis())
                    .execute();
            return handle.createQuery("SELECT count(*) FROM api_keys WHERE id = :id")
                    .bind("id", id)
                    .mapTo(Integer.class)
                    .one() > 0;
        });
        revocationListeners.forEach(listener -> listener.accept(id));
        return found;
    }

    /**
     * Sets the key's own response shape (null: the server's default); true when the key exists.
     * Running servers apply it as they apply a revocation: this one at once, others within the key
     * cache's TTL.
     */
    public boolean setResponseEnvelope(String id, ResponseEnvelope envelope) {
        boolean found = jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE api_keys SET response_envelope = :envelope WHERE id = :id")
                .bind("envelope", envelope == null ? null : envelope.value())
                .bind("id", id)
                .execute()) > 0;
        revocationListeners.forEach(listener -> listener.accept(id));
        return found;
    }

    private static ResponseEnvelope envelopeOrNull(String stored) {
        // Written only through ResponseEnvelope.value(); a name this version does not know answers the default.
        return stored == null ? null : ResponseEnvelope.named(stored).orElse(null);
    }

    public void markUsed(String id, Instant when) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE api_keys SET last_used_at = :when WHERE id = :id
                        """)
                .bind("id", id)
                .bind("when", when.toEpochMilli())
                .execute());
    }

    static String hash(String secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
