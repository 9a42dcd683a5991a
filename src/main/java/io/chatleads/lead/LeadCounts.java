package io.chatleads.lead;

import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lead_counts rows (V16) of a batch of leads stored on PostgreSQL, added by the batch itself in
 * one statement instead of by the row trigger, one upsert per lead.
 *
 * <p>Why: a batch runs in one transaction, and its leads mostly share a few quarter hours. Each of
 * the trigger's upserts then writes a new version of the same row, which the transaction's next
 * upsert must step over in the primary key's index: an import of 1,000,000 leads into one chatbot
 * ran at 5,500 rows a second instead of 35,000 (BENCHMARKS.md, 2026-12-02 10:13 UTC). So a batch
 * turns the trigger off for its own transaction ({@code chatleads.lead_counts} = 'batch', which the
 * trigger function reads), tallies its leads, and stores the tally when its rows are in. SQLite's
 * triggers update their rows in place, so SQLite keeps them for batches too.
 */
final class LeadCounts {

    private static final String TRIGGER = "SELECT set_config('chatleads.lead_counts', :mode, true)";
    /** In key order, as the delete trigger's updates are, so two batches never wait on each other in a cycle. */
    private static final String ADD_SQL = """
            INSERT INTO lead_counts AS c (chatbot_id, bucket, leads)
            SELECT * FROM unnest(:chatbotIds, :buckets, :leads)
            ORDER BY 1, 2
            ON CONFLICT (chatbot_id, bucket) DO UPDATE SET leads = c.leads + excluded.leads
            """;

    // chatbot id -> bucket -> leads; sorted, for ADD_SQL's key order. One entry per chatbot and quarter hour of the batch.
    private final Map<String, TreeMap<Long, long[]>> tally = new TreeMap<>();

    /** Starts a batch in the handle's transaction: its inserts are not counted by the trigger, but by {@link #store}. */
    static LeadCounts begin(Handle transaction) {
        transaction.createQuery(TRIGGER).bind("mode", "batch").mapTo(String.class).one();
        return new LeadCounts();
    }

    void add(NewLead lead) {
        long bucket = Math.floorDiv(lead.createdAt().toEpochMilli(), LeadStats.BUCKET_MILLIS);
        tally.computeIfAbsent(lead.chatbotId(), id -> new TreeMap<>()).computeIfAbsent(bucket, b -> new long[1])[0]++;
    }

    void addAll(List<NewLead> leads) {
        leads.forEach(this::add);
    }

    /** Adds the tally to lead_counts and turns the trigger on again for the rest of the transaction. */
    void store(Handle transaction) {
        transaction.createQuery(TRIGGER).bind("mode", "").mapTo(String.class).one();
        if (tally.isEmpty()) {
            return;
        }
        List<String> chatbotIds = new ArrayList<>();
        List<Long> buckets = new ArrayList<>();
        List<Long> leads = new ArrayList<>();
        tally.forEach((chatbotId, counts) -> counts.forEach((bucket, count) -> {
            chatbotIds.add(chatbotId);
            buckets.add(bucket);
            leads.add(count[0]);
        }));
        transaction.createUpdate(ADD_SQL)
                .bindArray("chatbotIds", String.class, chatbotIds)
                .bindArray("buckets", Long.class, buckets)
                .bindArray("leads", Long.class, leads)
                .execute();
        tally.clear();
    }
}
