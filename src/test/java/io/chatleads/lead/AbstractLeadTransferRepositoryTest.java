package io.chatleads.lead;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bulk insert, keyset range and erasure of LeadRepository, and idempotent creation. */
abstract class AbstractLeadTransferRepositoryTest extends DatabaseTestBase {

    Chatbot newChatbot() {
        Owner owner = app.owners().create("o-" + UUID.randomUUID() + "@example.com");
        return app.chatbots().create(owner.id(), "bot");
    }

    static NewLead lead(Chatbot chatbot, int i, Instant at) {
        return new NewLead(chatbot.id(), chatbot.ownerId(), "n" + i, "e" + i + "@example.com", null, null, at);
    }

    @Test
    void insertAllCallsListenersOnlyWhenAsked() {
        Chatbot chatbot = newChatbot();
        List<Lead> seen = new ArrayList<>();
        LeadRepository withListener = new LeadRepository(app.database().jdbi(), app.database().dataSource(), List.of((handle, leads) -> seen.addAll(leads)));
        Instant at = Instant.parse("2024-01-01T00:00:00Z");
        app.database().jdbi().useTransaction(h -> withListener.insertAll(h, List.of(lead(chatbot, 1, at), lead(chatbot, 2, at)), false));
        assertEquals(0, seen.size());
        app.database().jdbi().useTransaction(h -> withListener.insertAll(h, List.of(lead(chatbot, 3, at), lead(chatbot, 4, at)), true));
        assertEquals(2, seen.size());
        assertTrue(seen.get(0).id() > 0);
        assertEquals(4, app.leads().rangeAfter(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, null, 100).size());
    }

    /**
     * An import with events writes, for each lead, a delivery row whose foreign key PostgreSQL checks
     * with a plan it prepares once per connection. Planned while the table was nearly empty, that
     * plan was a sequential scan of leads, kept for the whole import: each row read all the rows
     * before it (100,000 rows took 596 s). Counted from the transaction's own table statistics.
     * The leads go in as a batch and their events after; each event must still name its own lead.
     */
    @Test
    void leadsWithEventsAreNotCheckedByScanningAllEarlierLeads() {
        Chatbot chatbot = newChatbot();
        String webhookId = app.webhooks().create(chatbot.ownerId(), null, "https://hooks.example.com/leads",
                List.of("leads.submit")).webhook().id();
        Instant at = Instant.parse("2024-01-01T00:00:00Z");
        int rows = 3_000;
        long scanned = app.database().jdbi().inTransaction(handle -> {
            for (int from = 0; from < rows; from += 500) {
                List<NewLead> batch = new ArrayList<>();
                for (int i = from; i < from + 500; i++) {
                    batch.add(lead(chatbot, i, at));
                }
                app.leads().insertAll(handle, batch, true);
            }
            // SQLite keeps no such statistics; its foreign-key checks always use the rowid.
            return database.kind() == TestDatabase.Kind.POSTGRES
                    ? handle.createQuery("SELECT coalesce(seq_tup_read, 0) FROM pg_stat_xact_user_tables WHERE relname = 'leads'")
                        .mapTo(Long.class).one()
                    : -1L;
        });
        // each event names its own lead: the ids came back in the order the leads were sent
        int matchingDeliveries = app.database().jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT count(*) FROM webhook_deliveries d JOIN leads l ON l.id = d.lead_id
                        WHERE d.webhook_id = :id
                          AND d.body LIKE '%"customerEmail":"' || l.email || '"%'
                          AND d.body LIKE '%"leadId":' || l.id || ',%'
                        """).bind("id", webhookId).mapTo(Integer.class).one());
        assertEquals(rows, matchingDeliveries);
        if (database.kind() == TestDatabase.Kind.POSTGRES) {
            assertTrue(scanned < rows, "the foreign key checks read " + scanned + " leads for " + rows + " new ones");
        }
    }

    @Test
    void insertAllKeepsCharactersOutsideTheBmpWhateverTheBatchSize() {
        // Names of emoji (two UTF-16 units each) of varying lengths: a batch this size is several
        // 64k-character pieces of text, so a codec that encodes piece by piece splits some pair.
        Chatbot chatbot = newChatbot();
        Instant at = Instant.parse("2024-01-01T00:00:00Z");
        List<NewLead> batch = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            String name = i + " " + "\uD83D\uDE00".repeat(60 + i % 37) + " \uD834\uDD1E";
            batch.add(new NewLead(chatbot.id(), chatbot.ownerId(), name, null, "+1415555" + (1000 + i), null,
                    at.plusMillis(i)));
        }
        app.database().jdbi().useTransaction(h -> app.leads().insertAll(h, batch, false));
        List<Lead> stored = app.leads().rangeAfter(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, null, 2000);
        assertEquals(1500, stored.size());
        for (Lead lead : stored) {
            int i = (int) (lead.createdAt().toEpochMilli() - at.toEpochMilli());
            assertEquals(batch.get(i).name(), lead.name(), "lead " + i);
        }
    }

    @Test
    void rangeAfterWalksTheRangeOnceInOrderAcrossTiedTimestamps() {
        Chatbot chatbot = newChatbot();
        List<NewLead> batch = new ArrayList<>();
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < 95; i++) {
            batch.add(lead(chatbot, i, base.plusMillis(i / 10)));
        }
        app.database().jdbi().useTransaction(h -> app.leads().insertAll(h, batch, false));
        List<Lead> walked = new ArrayList<>();
        Lead last = null;
        while (true) {
            List<Lead> chunk = app.leads().rangeAfter(chatbot.id(), chatbot.ownerId(), base.toEpochMilli() + 1, base.toEpochMilli() + 8, last, 7);
            walked.addAll(chunk);
            if (chunk.size() < 7) {
                break;
            }
            last = chunk.get(chunk.size() - 1);
        }
        assertEquals(80, walked.size());
        for (int i = 1; i < walked.size(); i++) {
            Lead a = walked.get(i - 1);
            Lead b = walked.get(i);
            assertTrue(a.createdAt().isAfter(b.createdAt()) || a.createdAt().equals(b.createdAt()) && a.id() > b.id());
        }
    }

    @Test
    void deleteErases() {
        Chatbot chatbot = newChatbot();
        Lead lead = app.leads().create(lead(chatbot, 1, Instant.now()));
        assertTrue(app.leads().delete(lead.id()));
        assertFalse(app.leads().delete(lead.id()));
        assertEquals(Optional.empty(), app.leads().find(lead.id()));
    }

    @Test
    void idempotentCreationReplaysAndRefusesErasedLeads() {
        Chatbot chatbot = newChatbot();
        IdempotentLeadCreation creation = new IdempotentLeadCreation(app.database().jdbi(), app.leads(), Clock.systemUTC());
        var first = creation.create(lead(chatbot, 1, Instant.now()), Optional.of("k"));
        var again = creation.create(lead(chatbot, 2, Instant.now()), Optional.of("k"));
        assertFalse(first.replayed());
        assertTrue(again.replayed());
        assertEquals(first.lead(), again.lead());
        app.leads().delete(first.lead().id());
        // A Conflict is the HTTP API's 409.
        var refused = org.junit.jupiter.api.Assertions.assertThrows(io.chatleads.error.Conflict.class,
                () -> creation.create(lead(chatbot, 3, Instant.now()), Optional.of("k")));
        assertTrue(refused.getMessage().contains("Idempotency-Key"), refused.getMessage());
        assertEquals(0, app.leads().rangeAfter(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, null, 10).size());
    }

    @Test
    void expiredIdempotencyKeysAreForgottenAndYoungerOnesKept() {
        Chatbot chatbot = newChatbot();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        IdempotentLeadCreation creation = new IdempotentLeadCreation(app.database().jdbi(), app.leads(), clock);
        var old = creation.create(lead(chatbot, 1, clock.instant()), Optional.of("old"));
        clock.advance(Duration.ofHours(20));
        var young = creation.create(lead(chatbot, 2, clock.instant()), Optional.of("young"));
        clock.advance(Duration.ofHours(5));

        assertEquals(1, creation.forgetKeysCreatedBefore(clock.millis() - Duration.ofHours(24).toMillis()));

        var afterExpiry = creation.create(lead(chatbot, 3, clock.instant()), Optional.of("old"));
        assertFalse(afterExpiry.replayed(), "an expired key starts over");
        assertTrue(afterExpiry.lead().id() != old.lead().id());
        var retry = creation.create(lead(chatbot, 4, clock.instant()), Optional.of("young"));
        assertTrue(retry.replayed());
        assertEquals(young.lead(), retry.lead());
    }
}
