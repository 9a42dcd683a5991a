package io.chatleads.lead;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quarter-hour counts (lead_counts, V16) against counting the leads themselves, on a real
 * database: the chart and lead-stats per local day in zones of every kind of offset, and the
 * chatbot list's totals, after inserts one by one and in batches, erasure, retention, a deleted
 * chatbot, and concurrent captures into one quarter hour.
 */
abstract class AbstractLeadStatsTest extends DatabaseTestBase {

    private static final long QUARTER = LeadStats.BUCKET_MILLIS;
    /** UTC; whole hours with and without daylight saving time on either hemisphere; half and quarter hours; a DST shift of half an hour; offsets of seconds before 1972 (Monrovia) and 1937 (Amsterdam), where the counts cannot serve. */
    private static final List<ZoneId> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney",
                    "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "Australia/Lord_Howe",
                    "Pacific/Kiritimati", "Africa/Monrovia", "Europe/Amsterdam")
            .stream().map(ZoneId::of).toList();

    private final Random random = new Random(18);
    private Owner owner;
    private Chatbot busy;
    private Chatbot quiet;
    private LeadStats stats;

    @BeforeAll
    void leads() {
        stats = app.leadStats();
        owner = app.owners().create("stats-" + UUID.randomUUID() + "@example.com");
        busy = app.chatbots().create(owner.id(), "busy");
        quiet = app.chatbots().create(owner.id(), "quiet");
        List<NewLead> batch = new ArrayList<>();
        // Around every quarter-hour edge: on it, a millisecond before and after.
        long edge = Instant.parse("2026-03-29T00:45:00Z").toEpochMilli();
        for (int i = 0; i < 12; i++) {
            for (long at : new long[] {edge + i * QUARTER - 1, edge + i * QUARTER, edge + i * QUARTER + 1}) {
                batch.add(lead(busy, at));
            }
        }
        // Spread over 2023 to 2026 in dense bursts, and a few in 1965 and 1930 (before the epoch: floor division).
        long from = Instant.parse("2023-01-01T00:00:00Z").toEpochMilli();
        long span = Instant.parse("2027-01-01T00:00:00Z").toEpochMilli() - from;
        for (int i = 0; i < 3_000; i++) {
            long at = from + (long) (random.nextDouble() * span);
            batch.add(lead(i % 4 == 0 ? quiet : busy, at));
            if (i % 10 == 0) {
                batch.add(lead(busy, at + random.nextInt(3_600_000)));
            }
        }
        for (String at : List.of("1965-07-01T12:00:00Z", "1965-07-01T12:07:00Z", "1930-05-05T23:59:59.999Z", "1971-12-31T23:30:00Z")) {
            batch.add(lead(busy, Instant.parse(at).toEpochMilli()));
            batch.add(lead(quiet, Instant.parse(at).toEpochMilli()));
        }
        // A third through each batch path (on PostgreSQL: COPY, and a JDBC batch for an import with
        // events, both counting their own leads), followed in the same transaction by a single insert
        // the trigger counts again; a third one by one (the capture's insert).
        int third = batch.size() / 3;
        List<NewLead> copied = batch.subList(0, third);
        List<NewLead> batched = batch.subList(third, 2 * third);
        app.database().jdbi().useTransaction(handle -> {
            app.leads().insertAll(handle, copied, false);
            app.leads().insert(handle, lead(quiet, Instant.parse("2026-03-29T01:00:00Z").toEpochMilli()));
            app.leads().insertAll(handle, batched, true);
            app.leads().insert(handle, lead(quiet, Instant.parse("2026-03-29T01:00:00Z").toEpochMilli()));
        });
        batch.subList(2 * third, batch.size()).forEach(app.leads()::create);
    }

    private static NewLead lead(Chatbot chatbot, long at) {
        return new NewLead(chatbot.id(), chatbot.ownerId(), "Stats Lead", "stats@example.com", null, null, Instant.ofEpochMilli(at));
    }

    private List<LocalDate[]> ranges() {
        List<LocalDate[]> ranges = new ArrayList<>(List.of(
                new LocalDate[] {LocalDate.of(2026, 3, 28), LocalDate.of(2026, 3, 30)},
                new LocalDate[] {LocalDate.of(2023, 1, 1), LocalDate.of(2026, 12, 31)},
                new LocalDate[] {LocalDate.of(2025, 10, 1), LocalDate.of(2025, 11, 15)},
                new LocalDate[] {LocalDate.of(1965, 6, 30), LocalDate.of(1965, 7, 2)},
                new LocalDate[] {LocalDate.of(1930, 5, 4), LocalDate.of(1972, 1, 2)}));
        for (int i = 0; i < 15; i++) {
            LocalDate start = LocalDate.of(2023, 1, 1).plusDays(random.nextInt(1_400));
            ranges.add(new LocalDate[] {start, start.plusDays(random.nextInt(60))});
        }
        return ranges;
    }

    /** Every zone and range, both chatbots: the counts give what counting the leads gives. Returns the leads compared. */
    private long assertDailyMatchesTheLeads() {
        long compared = 0;
        for (ZoneId zone : ZONES) {
            for (LocalDate[] range : ranges()) {
                for (Chatbot chatbot : List.of(busy, quiet)) {
                    LeadStats.Daily expected = stats.dailyCountingLeads(chatbot.id(), range[0], range[1], zone);
                    assertEquals(expected, stats.daily(chatbot.id(), range[0], range[1], zone),
                            chatbot.name() + ", " + zone + ", " + range[0] + ".." + range[1]);
                    compared += expected.total();
                }
            }
        }
        return compared;
    }

    private void assertTotalsMatchTheLeads() {
        List<String> ids = List.of(busy.id(), quiet.id());
        List<Long> sinces = new ArrayList<>(List.of(Long.MIN_VALUE / 4, 0L, Instant.parse("2026-03-29T01:00:00Z").toEpochMilli(),
                Instant.parse("2026-03-29T01:00:00Z").toEpochMilli() + 1, Instant.parse("2026-03-29T01:00:00Z").toEpochMilli() - 1,
                Instant.parse("1965-07-01T12:05:00Z").toEpochMilli()));
        for (int i = 0; i < 20; i++) {
            sinces.add(Instant.parse("2023-01-01T00:00:00Z").toEpochMilli() + (long) (random.nextDouble() * 4 * 365 * 86_400_000L));
        }
        for (long since : sinces) {
            assertEquals(stats.perChatbotCountingLeads(ids, since), stats.perChatbot(ids, since), "since " + since);
        }
    }

    private long storedCounts(String chatbotId) {
        return app.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT coalesce(sum(leads), 0) FROM lead_counts WHERE chatbot_id = :id")
                .bind("id", chatbotId).mapTo(Long.class).one());
    }

    private long leadsOf(String chatbotId) {
        return app.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM leads WHERE chatbot_id = :id")
                .bind("id", chatbotId).mapTo(Long.class).one());
    }

    @Test
    void theCountsGiveWhatCountingTheLeadsGivesInEveryZone() {
        assertEquals(leadsOf(busy.id()), storedCounts(busy.id()), "one count per lead, kept by the triggers");
        assertTrue(leadsOf(busy.id()) > 1_000);
        assertTrue(assertDailyMatchesTheLeads() > 10_000, "the ranges hold leads");
        assertTotalsMatchTheLeads();
    }

    @Test
    void erasureRetentionAndADeletedChatbotTakeTheirLeadsOutOfTheCounts() {
        Chatbot doomed = app.chatbots().create(owner.id(), "doomed");
        for (int i = 0; i < 50; i++) {
            app.leads().create(lead(doomed, Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() + i * 60_000L));
        }
        assertEquals(50, storedCounts(doomed.id()));

        // Erase leads one by one, some the last of their quarter hour.
        List<Long> ids = app.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM leads WHERE chatbot_id = :id ORDER BY id").bind("id", busy.id()).mapTo(Long.class).list());
        for (int i = 0; i < ids.size(); i += 7) {
            assertTrue(app.leads().delete(ids.get(i)));
        }
        // Retention: every lead before 2024 goes, in batches.
        assertTrue(app.leadRetention().purge(busy.id(), Instant.parse("2024-01-01T00:00:00Z").toEpochMilli()) > 500);
        assertEquals(0, app.leadRetention().count(busy.id(), Instant.parse("2024-01-01T00:00:00Z").toEpochMilli()));
        assertTrue(app.chatbots().delete(doomed.id()));

        assertEquals(leadsOf(busy.id()), storedCounts(busy.id()));
        assertEquals(0, storedCounts(doomed.id()), "the deleted chatbot's counts go with it");
        long empty = app.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM lead_counts WHERE leads <= 0").mapTo(Long.class).one());
        assertEquals(0, empty, "no bucket is kept at zero");
        assertEquals(0, stats.daily(busy.id(), LocalDate.of(2023, 1, 1), LocalDate.of(2023, 12, 31), ZoneId.of("UTC")).total());
        assertTrue(assertDailyMatchesTheLeads() > 5_000);
        assertTotalsMatchTheLeads();
    }

    @Test
    void concurrentCapturesIntoOneQuarterHourAreAllCounted() throws Exception {
        Chatbot hot = app.chatbots().create(owner.id(), "hot");
        long at = Instant.parse("2026-06-01T10:00:00Z").toEpochMilli();
        int threads = 8;
        int each = 60;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> writers = IntStream.range(0, threads).mapToObj(t -> CompletableFuture.runAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < each; i++) {
                Lead created = app.leads().create(lead(hot, at + t * 1_000L + i));
                // Every third one erased again at once: removals race additions in the same row.
                if (i % 3 == 0) {
                    app.leads().delete(created.id());
                }
            }
        })).toList();
        start.countDown();
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();

        long kept = threads * (each - each / 3);
        assertEquals(kept, leadsOf(hot.id()));
        assertEquals(kept, storedCounts(hot.id()));
        Map<LocalDate, Long> day = stats.daily(hot.id(), LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 1), ZoneId.of("UTC")).counts();
        assertEquals(Map.of(LocalDate.of(2026, 6, 1), kept), day);
    }

    @Test
    void aLeadMovedToAnotherTimeOrChatbotByHandIsCountedWhereItIsNow() {
        Chatbot from = app.chatbots().create(owner.id(), "from");
        Chatbot to = app.chatbots().create(owner.id(), "to");
        long at = Instant.parse("2026-02-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 30; i++) {
            app.leads().create(lead(from, at + i * 120_000L));
        }
        // Nothing in chatleads updates a lead; an operator's SQL might. One statement, many rows.
        int moved = app.database().jdbi().withHandle(h -> h.createUpdate("""
                        UPDATE leads SET created_at = created_at + 3456000000, chatbot_id = CASE WHEN id % 2 = 0 THEN :to ELSE chatbot_id END
                        WHERE chatbot_id = :from AND created_at < :until""")
                .bind("to", to.id()).bind("from", from.id()).bind("until", at + 20 * 120_000L).execute());
        assertEquals(20, moved);
        for (Chatbot chatbot : List.of(from, to)) {
            assertEquals(leadsOf(chatbot.id()), storedCounts(chatbot.id()), chatbot.name());
            for (ZoneId zone : ZONES) {
                assertEquals(stats.dailyCountingLeads(chatbot.id(), LocalDate.of(2026, 1, 31), LocalDate.of(2026, 3, 15), zone),
                        stats.daily(chatbot.id(), LocalDate.of(2026, 1, 31), LocalDate.of(2026, 3, 15), zone), chatbot.name() + ", " + zone);
            }
        }
        assertTrue(leadsOf(to.id()) > 5);
    }

    @Test
    void anUpdateThatMovesNoLeadLeavesTheCountsAsTheyWere() {
        Chatbot renamed = app.chatbots().create(owner.id(), "renamed");
        long at = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
        for (int i = 0; i < 40; i++) {
            app.leads().create(lead(renamed, at + i * 300_000L));
        }
        // An operator's SQL correcting names, and one that sets the time and chatbot to what they
        // already are: neither moves a lead, so neither may change a count.
        app.database().jdbi().useHandle(h -> {
            h.createUpdate("UPDATE leads SET name = 'Corrected ' || id WHERE chatbot_id = :id").bind("id", renamed.id()).execute();
            h.createUpdate("UPDATE leads SET created_at = created_at, chatbot_id = chatbot_id WHERE chatbot_id = :id")
                    .bind("id", renamed.id()).execute();
        });
        assertEquals(40, leadsOf(renamed.id()));
        assertEquals(40, storedCounts(renamed.id()));
        assertEquals(stats.dailyCountingLeads(renamed.id(), LocalDate.of(2026, 2, 28), LocalDate.of(2026, 3, 2), ZoneId.of("UTC")),
                stats.daily(renamed.id(), LocalDate.of(2026, 2, 28), LocalDate.of(2026, 3, 2), ZoneId.of("UTC")));
    }

    @Test
    void aBulkLoadCountsItsLeads() {
        Chatbot seeded = app.chatbots().create(owner.id(), "seeded");
        long at = Instant.parse("2025-05-05T05:05:05Z").toEpochMilli();
        int[] left = {2_000};
        long loaded = app.leads().bulkLoad(() -> left[0]-- > 0 ? lead(seeded, at + left[0] * 7_000L) : null);
        assertEquals(2_000, loaded);
        assertEquals(2_000, storedCounts(seeded.id()));
        assertEquals(stats.dailyCountingLeads(seeded.id(), LocalDate.of(2025, 5, 4), LocalDate.of(2025, 5, 6), ZoneId.of("Asia/Kathmandu")),
                stats.daily(seeded.id(), LocalDate.of(2025, 5, 4), LocalDate.of(2025, 5, 6), ZoneId.of("Asia/Kathmandu")));
    }
}
