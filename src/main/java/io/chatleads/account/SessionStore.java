package io.chatleads.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chatleads.RandomIds;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Console sessions, stored in {@code console_sessions} so that every server of a deployment accepts
 * them. The cookie holds 32 random characters of 64 (192 bits); the table holds their SHA-256.
 *
 * <p>A page view looks its session up by primary key, and with a cache TTL (the one keys use,
 * {@code CHATLEADS_CACHE_TTL_MS}) most views need no query at all. A session ended through this
 * JVM is gone here at once, and no look-up already under way can put it back; one ended through
 * another server stops here within the TTL. {@code last_seen_at}, which the idle timeout counts
 * from, moves at most once a minute, sparing a write per page.
 */
public final class SessionStore {

    static final int ID_LENGTH = 32;
    private static final Duration TOUCH_PRECISION = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration idle;
    private final Duration lifetime;
    private final Cache<String, Session> cache;
    // Bumped by every ending: a look-up that started before it must not be kept (see the class comment).
    private final AtomicLong endings = new AtomicLong();

    /** A session just created, with the only copy of the id its cookie carries. */
    public record Created(Session session, String cookieValue) {
        @Override
        public String toString() {
            return "Created[" + session + "]";
        }
    }

    public SessionStore(Jdbi jdbi, Clock clock, AccountSettings settings) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.idle = settings.sessionIdle();
        this.lifetime = settings.sessionLifetime();
        this.cache = settings.cacheTtl().isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(settings.cacheTtl()).maximumSize(100_000).build();
    }

    /** How long a session lives at most, for the cookie's Max-Age. */
    public Duration lifetime() {
        return lifetime;
    }

    Created create(Account account) {
        String id = RandomIds.urlSafe(ID_LENGTH);
        Instant now = Instant.ofEpochMilli(clock.millis());
        Session session = new Session(hash(id), account.ownerId(), account.email(), account.timeZone(),
                RandomIds.urlSafe(32), now, now);
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO console_sessions (id_hash, owner_id, csrf_token, created_at, last_seen_at)
                        VALUES (:idHash, :ownerId, :csrf, :now, :now)
                        """)
                .bind("idHash", session.idHash())
                .bind("ownerId", session.ownerId())
                .bind("csrf", session.csrfToken())
                .bind("now", now.toEpochMilli())
                .execute());
        return new Created(session, id);
    }

    /** The live session this cookie value names; empty when unknown, ended, idle too long or too old. */
    public Optional<Session> find(String cookieValue) {
        if (cookieValue == null || cookieValue.length() != ID_LENGTH) {
            return Optional.empty();
        }
        String idHash = hash(cookieValue);
        Session session = cache == null ? null : cache.getIfPresent(idHash);
        if (session == null) {
            long endingsBefore = endings.get();
            session = load(idHash);
            if (session == null) {
                return Optional.empty();
            }
            remember(session, endingsBefore);
        }
        Instant now = Instant.ofEpochMilli(clock.millis());
        if (session.lastSeenAt().plus(idle).isBefore(now) || session.createdAt().plus(lifetime).isBefore(now)) {
            end(session);
            return Optional.empty();
        }
        if (session.lastSeenAt().plus(TOUCH_PRECISION).isBefore(now)) {
            long endingsBefore = endings.get();
            jdbi.useHandle(handle -> handle.createUpdate("UPDATE console_sessions SET last_seen_at = :now WHERE id_hash = :idHash")
                    .bind("now", now.toEpochMilli())
                    .bind("idHash", idHash)
                    .execute());
            session = session.withLastSeenAt(now);
            remember(session, endingsBefore);
        }
        return Optional.of(session);
    }

    private void remember(Session session, long endingsBefore) {
        if (cache == null) {
            return;
        }
        cache.put(session.idHash(), session);
        if (endings.get() != endingsBefore) {
            cache.invalidate(session.idHash());
        }
    }

    private Session load(String idHash) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT s.id_hash, s.owner_id, o.email, o.time_zone, s.csrf_token, s.created_at, s.last_seen_at
                        FROM console_sessions s JOIN owners o ON o.id = s.owner_id
                        WHERE s.id_hash = :idHash
                        """)
                .bind("idHash", idHash)
                .map((rs, ctx) -> new Session(rs.getString("id_hash"), rs.getString("owner_id"), rs.getString("email"),
                        rs.getString("time_zone"), rs.getString("csrf_token"),
                        Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("last_seen_at"))))
                .findOne()
                .orElse(null));
    }

    /** Signs this browser out. */
    public void end(Session session) {
        endings.incrementAndGet();
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM console_sessions WHERE id_hash = :idHash")
                .bind("idHash", session.idHash())
                .execute());
        if (cache != null) {
            cache.invalidate(session.idHash());
        }
    }

    /** Ends every session of the owner except {@code keep} (null: all of them); returns how many ended. */
    public int endAll(String ownerId, Session keep) {
        endings.incrementAndGet();
        int ended = jdbi.withHandle(handle -> handle.createUpdate(
                        "DELETE FROM console_sessions WHERE owner_id = :ownerId AND id_hash <> :keep")
                .bind("ownerId", ownerId)
                .bind("keep", keep == null ? "" : keep.idHash())
                .execute());
        if (cache != null) {
            cache.asMap().values().removeIf(s -> s.ownerId().equals(ownerId) && (keep == null || !s.idHash().equals(keep.idHash())));
        }
        return ended;
    }

    /** The owner's sessions cached here see a new time zone at once; other servers' within the TTL. */
    void timeZoneChanged(String ownerId, String zone) {
        if (cache != null) {
            cache.asMap().replaceAll((idHash, s) -> s.ownerId().equals(ownerId) ? s.withTimeZone(zone) : s);
        }
    }

    /** Deletes sessions past their idle timeout or lifetime; each server runs it now and then. */
    public int sweepExpired() {
        long now = clock.millis();
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        DELETE FROM console_sessions WHERE last_seen_at < :idleCutoff OR created_at < :lifetimeCutoff
                        """)
                .bind("idleCutoff", now - idle.toMillis())
                .bind("lifetimeCutoff", now - lifetime.toMillis())
                .execute());
    }

    static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
