package io.chatleads.lead;

import io.chatleads.error.InvalidInput;
import io.chatleads.error.Conflict;
import io.chatleads.Periodic;
import io.chatleads.Settings;
import org.jdbi.v3.core.Jdbi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Lead creation under an {@code Idempotency-Key}: the first request with a key for a chatbot
 * creates the lead, every retry gets that same lead back. The key row and the lead commit in one
 * transaction, and the key's primary key decides races: on PostgreSQL a concurrent insert of the
 * same key waits for the winner to commit and then does nothing; SQLite serializes writers.
 */
public final class IdempotentLeadCreation {

    private static final Logger log = LoggerFactory.getLogger(IdempotentLeadCreation.class);

    public static final int MAX_KEY_LENGTH = 255;
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1," + MAX_KEY_LENGTH + "}");

    /** How long a key is remembered; a retry after that creates a new lead. */
    public static Duration keyLifetime(Settings settings) {
        return Duration.ofHours(settings.integer("CHATLEADS_IDEMPOTENCY_KEY_HOURS", 24, 1, 8760));
    }

    /** The lead, and whether it was created by an earlier request with the same key. */
    public record Outcome(Lead lead, boolean replayed) {
    }

    private final Jdbi jdbi;
    private final LeadRepository leads;
    private final Clock clock;

    public IdempotentLeadCreation(Jdbi jdbi, LeadRepository leads, Clock clock) {
        this.jdbi = jdbi;
        this.leads = leads;
        this.clock = clock;
    }

    /** A header value fit to be a key, else a 400 naming the header. */
    public static String validKey(String raw) {
        if (raw == null || !KEY.matcher(raw).matches()) {
            throw new InvalidInput("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH
                    + " visible ASCII characters");
        }
        return raw;
    }

    public Outcome create(NewLead lead, Optional<String> idempotencyKey) {
        if (idempotencyKey.isEmpty()) {
            return new Outcome(leads.create(lead), false);
        }
        String key = idempotencyKey.get();
        Object result = jdbi.inTransaction(handle -> {
            int claimed = handle.createUpdate("""
                            INSERT INTO lead_idempotency_keys (chatbot_id, idempotency_key, lead_id, created_at)
                            VALUES (:chatbotId, :key, NULL, :now)
                            ON CONFLICT DO NOTHING
                            """)
                    .bind("chatbotId", lead.chatbotId())
                    .bind("key", key)
                    .bind("now", clock.millis())
                    .execute();
            if (claimed == 1) {
                Lead created = leads.insert(handle, lead);
                handle.createUpdate("""
                                UPDATE lead_idempotency_keys SET lead_id = :leadId
                                WHERE chatbot_id = :chatbotId AND idempotency_key = :key
                                """)
                        .bind("leadId", created.id())
                        .bind("chatbotId", lead.chatbotId())
                        .bind("key", key)
                        .execute();
                return created;
            }
            return handle.createQuery("""
                            SELECT lead_id FROM lead_idempotency_keys
                            WHERE chatbot_id = :chatbotId AND idempotency_key = :key
                            """)
                    .bind("chatbotId", lead.chatbotId())
                    .bind("key", key)
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(null);
        });
        if (result instanceof Lead created) {
            return new Outcome(created, false);
        }
        Optional<Lead> original = result == null ? Optional.empty() : leads.find((Long) result);
        return new Outcome(original.orElseThrow(() -> new Conflict(
                "the lead created with this Idempotency-Key has been erased; it will not be created again")), true);
    }

    /**
     * Deletes the keys first used before {@code cutoffMillis}: a retry with such a key creates a
     * new lead. Returns how many were deleted.
     */
    public int forgetKeysCreatedBefore(long cutoffMillis) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "DELETE FROM lead_idempotency_keys WHERE created_at < :cutoff")
                .bind("cutoff", cutoffMillis)
                .execute());
    }

    /**
     * Every {@code interval}, deletes the keys older than {@code keep}, so that the table holds a
     * bounded window of keys. Several servers doing it at once is harmless. Close the result to stop.
     */
    public AutoCloseable expireKeys(Duration keep, Duration interval) {
        return Periodic.every(interval, "chatleads-idempotency-keys", () -> {
            int deleted = forgetKeysCreatedBefore(clock.millis() - keep.toMillis());
            if (deleted > 0) {
                log.info("deleted {} idempotency keys older than {} h", deleted, keep.toHours());
            }
        }, e -> log.warn("cannot delete expired idempotency keys (the next run catches up): {}", e.getMessage()));
    }
}
