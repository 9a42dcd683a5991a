package io.chatleads.lead;

import io.chatleads.Periodic;
import io.chatleads.Settings;
import io.chatleads.db.Dialect;
import io.chatleads.error.InvalidInput;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Retention (issue 18 point 4): leads older than their owner's {@code owners.lead_retention_days},
 * or the server-wide {@code CHATLEADS_LEAD_RETENTION_DAYS} when the owner has none, are deleted,
 * with their webhook deliveries (by the foreign key's cascade) and the idempotency keys that named
 * them (deleted here: their foreign key only sets NULL, which is meant for an erasure a retry must
 * not undo, not for expiry).
 *
 * <p>The delete goes chatbot by chatbot, oldest first, along {@code leads_chatbot_created_id}, in
 * transactions of at most {@link #BATCH} leads with a pause between them, so that a large backlog
 * never holds locks long nor starves captures of the disk. Every server runs it; on PostgreSQL
 * {@code FOR UPDATE SKIP LOCKED} gives two servers purging the same chatbot disjoint batches, so
 * neither waits for nor fails on the other, and each lead is deleted once. SQLite has one server.
 */
public final class LeadRetention {

    private static final Logger log = LoggerFactory.getLogger(LeadRetention.class);

    /** Leads per delete transaction. */
    static final int BATCH = 1_000;
    /** The longest retention accepted anywhere: 100 years. */
    public static final int MAX_DAYS = 36_500;

    // Oldest first along leads_chatbot_created_id, read backwards: the range ends at the cutoff.
    private static final String OLDEST_SQL = """
            SELECT id FROM leads
            WHERE chatbot_id = :chatbotId AND created_at < :cutoff
            ORDER BY created_at, id
            LIMIT :batch
            """;
    private static final String COUNT_SQL = """
            SELECT count(*) FROM leads WHERE chatbot_id = :chatbotId AND created_at < :cutoff
            """;
    // The same index, probed once per chatbot: a chatbot without old leads costs one descent.
    private static final String CHATBOTS_SQL = """
            SELECT c.id AS chatbot_id, COALESCE(o.lead_retention_days, :defaultDays) AS days
            FROM chatbots c JOIN owners o ON o.id = c.owner_id
            WHERE COALESCE(o.lead_retention_days, :defaultDays) > 0
            ORDER BY c.id
            """;

    private record Target(String chatbotId, int days) {
    }

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Clock clock;
    private final Duration pause;

    /** {@code pause}: the wait between two delete transactions. */
    public LeadRetention(Jdbi jdbi, Dialect dialect, Clock clock, Duration pause) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.clock = clock;
        this.pause = pause;
    }

    /** {@code CHATLEADS_LEAD_RETENTION_DAYS}: 1 to 36500, or 0 when unset (leads are kept forever). */
    public static int defaultDays(Settings settings) {
        if (settings.string("CHATLEADS_LEAD_RETENTION_DAYS", "").isEmpty()) {
            return 0;
        }
        return settings.integer("CHATLEADS_LEAD_RETENTION_DAYS", 0, 1, MAX_DAYS);
    }

    /** The instant before which a lead kept {@code days} days is due, in epoch milliseconds. */
    public long cutoff(int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new InvalidInput("days must be between 1 and " + MAX_DAYS + ", got " + days);
        }
        return clock.millis() - Duration.ofDays(days).toMillis();
    }

    /** How many leads of the chatbot were created before {@code cutoffMillis}: what {@link #purge} would delete. */
    public long count(String chatbotId, long cutoffMillis) {
        return jdbi.withHandle(handle -> handle.createQuery(COUNT_SQL)
                .bind("chatbotId", chatbotId)
                .bind("cutoff", cutoffMillis)
                .mapTo(Long.class)
                .one());
    }

    /** Deletes the chatbot's leads created before {@code cutoffMillis}, in batches; returns how many this call deleted. */
    public long purge(String chatbotId, long cutoffMillis) {
        long deleted = 0;
        while (true) {
            int batch = deleteBatch(chatbotId, cutoffMillis);
            deleted += batch;
            if (batch == 0) {
                return deleted;
            }
            pause();
        }
    }

    /** One transaction: up to {@link #BATCH} old leads of the chatbot, their idempotency keys, and (cascade) deliveries. */
    private int deleteBatch(String chatbotId, long cutoffMillis) {
        // Rows another server has locked are its batch: skip them rather than wait and then find them gone.
        String oldest = dialect == Dialect.POSTGRESQL ? OLDEST_SQL + "FOR UPDATE SKIP LOCKED" : OLDEST_SQL;
        return jdbi.inTransaction(handle -> {
            List<Long> ids = handle.createQuery(oldest)
                    .bind("chatbotId", chatbotId)
                    .bind("cutoff", cutoffMillis)
                    .bind("batch", BATCH)
                    .mapTo(Long.class)
                    .list();
            if (ids.isEmpty()) {
                return 0;
            }
            handle.createUpdate("DELETE FROM lead_idempotency_keys WHERE lead_id IN (<ids>)")
                    .bindList("ids", ids)
                    .execute();
            return handle.createUpdate("DELETE FROM leads WHERE id IN (<ids>)")
                    .bindList("ids", ids)
                    .execute();
        });
    }

    /**
     * One pass over every chatbot whose owner keeps leads for a limited time (its own setting, else
     * {@code defaultDays}; 0 = forever). Returns how many leads this call deleted.
     */
    public long purgeExpired(int defaultDays) {
        List<Target> targets = jdbi.withHandle(handle -> handle.createQuery(CHATBOTS_SQL)
                .bind("defaultDays", defaultDays)
                .map((rs, ctx) -> new Target(rs.getString("chatbot_id"), rs.getInt("days")))
                .list());
        long deleted = 0;
        for (Target target : targets) {
            deleted += purge(target.chatbotId(), cutoff(Math.min(target.days(), MAX_DAYS)));
        }
        return deleted;
    }

    /** Every server's job: {@link #purgeExpired} every {@code interval}. Close the result to stop. */
    public AutoCloseable everyServer(int defaultDays, Duration interval) {
        return Periodic.every(interval, "chatleads-lead-retention", () -> {
            long deleted = purgeExpired(defaultDays);
            if (deleted > 0) {
                log.info("retention: deleted {} leads past their owners' retention", deleted);
            }
        }, e -> log.warn("cannot delete leads past retention (the next run catches up): {}", e.getMessage()));
    }

    private void pause() {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("retention interrupted", e);
        }
    }
}
