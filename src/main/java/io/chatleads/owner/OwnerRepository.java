package io.chatleads.owner;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.time.Instant;
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
