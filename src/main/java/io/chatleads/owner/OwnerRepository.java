package io.chatleads.owner;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

public final class OwnerRepository {

    private static final RowMapper<Owner> OWNER = (rs, ctx) -> new Owner(
            rs.getString("id"), rs.getString("email"), Instant.ofEpochMilli(rs.getLong("created_at")));

    private final Jdbi jdbi;
    private final Clock clock;

    public OwnerRepository(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Creates an owner; the email must be unused (case-insensitively), else {@link DuplicateOwnerException}. */
    public Owner create(String email) {
        Owner owner = new Owner(UUID.randomUUID().toString(), email, Instant.ofEpochMilli(clock.millis()));
        return jdbi.inTransaction(handle -> {
            boolean taken = handle.createQuery("""
                            SELECT count(*) FROM owners WHERE lower(email) = lower(:email)
                            """)
                    .bind("email", email)
                    .mapTo(Integer.class)
                    .one() > 0;
            if (taken) {
                throw new DuplicateOwnerException(email);
            }
            handle.createUpdate("""
                            INSERT INTO owners (id, email, created_at) VALUES (:id, :email, :createdAt)
                            """)
                    .bind("id", owner.id())
                    .bind("email", owner.email())
                    .bind("createdAt", owner.createdAt().toEpochMilli())
                    .execute();
            return owner;
        });
    }

    public Optional<Owner> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, email, created_at FROM owners WHERE id = :id
                        """)
                .bind("id", id)
                .map(OWNER)
                .findOne());
    }

    /**
     * Sets how many days the owner's leads are kept: 1 to 36500, 0 for forever, or null for the
     * server's {@code CHATLEADS_LEAD_RETENTION_DAYS}. False when there is no such owner.
     */
    public boolean setLeadRetentionDays(String id, Integer days) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE owners SET lead_retention_days = :days WHERE id = :id
                        """)
                .bind("days", days)
                .bind("id", id)
                .execute()) > 0;
    }

    /** Each owner's own retention in days, for those that have one (0: forever). */
    public Map<String, Integer> leadRetentionDays() {
        Map<String, Integer> days = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery("""
                        SELECT id, lead_retention_days FROM owners WHERE lead_retention_days IS NOT NULL
                        """)
                .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getInt("lead_retention_days")))
                .forEach(entry -> days.put(entry.getKey(), entry.getValue())));
        return days;
    }

    public boolean any() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT EXISTS (SELECT 1 FROM owners)")
                .mapTo(Boolean.class)
                .one());
    }

    public static final class DuplicateOwnerException extends RuntimeException {
        public DuplicateOwnerException(String email) {
            super("an owner with email " + email + " already exists");
        }
    }
}
