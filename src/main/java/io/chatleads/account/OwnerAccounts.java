package io.chatleads.account;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The console's columns of {@code owners}: password hashes and time zones, and the owner listing. */
public final class OwnerAccounts {

    private static final RowMapper<Account> ACCOUNT = (rs, ctx) -> new Account(rs.getString("id"), rs.getString("email"),
            rs.getString("password_hash"), rs.getString("time_zone"), Instant.ofEpochMilli(rs.getLong("created_at")));
    private static final String COLUMNS = "id, email, password_hash, time_zone, created_at";

    /** One line of {@code owner list}. */
    public record OwnerSummary(String id, String email, Instant createdAt, boolean hasPassword, int chatbots) {
    }

    private final Jdbi jdbi;

    public OwnerAccounts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The owner whose email this is, case-insensitively (owners_email_unique is on lower(email)). */
    public Optional<Account> findByEmail(String email) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM owners WHERE lower(email) = lower(:email)")
                .bind("email", email)
                .map(ACCOUNT)
                .findOne());
    }

    public Optional<Account> find(String ownerId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM owners WHERE id = :id")
                .bind("id", ownerId)
                .map(ACCOUNT)
                .findOne());
    }

    /** Stores a new hash; the caller ends the owner's sessions (see {@link SignIn#changePassword}). */
    void setPasswordHash(String ownerId, String passwordHash) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE owners SET password_hash = :hash WHERE id = :id")
                .bind("hash", passwordHash)
                .bind("id", ownerId)
                .execute());
    }

    public void setTimeZone(String ownerId, String zone) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE owners SET time_zone = :zone WHERE id = :id")
                .bind("zone", zone)
                .bind("id", ownerId)
                .execute());
    }

    /** Every owner, oldest first, with how many chatbots each has. */
    public List<OwnerSummary> list() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT o.id, o.email, o.created_at, o.password_hash IS NOT NULL AS has_password,
                               (SELECT count(*) FROM chatbots c WHERE c.owner_id = o.id) AS chatbots
                        FROM owners o
                        ORDER BY o.created_at, o.id
                        """)
                .map((rs, ctx) -> new OwnerSummary(rs.getString("id"), rs.getString("email"),
                        Instant.ofEpochMilli(rs.getLong("created_at")), rs.getBoolean("has_password"), rs.getInt("chatbots")))
                .list());
    }
}
