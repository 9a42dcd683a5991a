package io.chatleads.lead;

import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention on a real database: what goes, what stays, and two purgers at once. */
abstract class AbstractLeadRetentionTest extends DatabaseTestBase {

    private static final long DAY = Duration.ofDays(1).toMillis();

    private record Bot(Owner owner, Chatbot chatbot) {
    }

    private Bot bot() {
        Owner owner = app.owners().create("retention-" + UUID.randomUUID() + "@example.com");
        // Every lead of this owner gets a delivery in the outbox, so the test sees them go.
        app.webhooks().create(owner.id(), null, "https://receiver.example/hook", List.of("leads.submit"));
        return new Bot(owner, app.chatbots().create(owner.id(), "retention"));
    }

    /** A lead {@code daysAgo} old, created with an Idempotency-Key, as a retried capture would be. */
    private Lead lead(Bot bot, int daysAgo) {
        NewLead lead = new NewLead(bot.chatbot().id(), bot.owner().id(), "Ada", "ada@example.com", null, null,
                Instant.ofEpochMilli(System.currentTimeMillis() - daysAgo * DAY - 60_000));
        return app.leadCreation().create(lead, Optional.of("key-" + UUID.randomUUID())).lead();
    }

    private long count(String table, String chatbotOrLead, Object value) {
        return app.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM " + table + " WHERE " + chatbotOrLead + " = :v")
                .bind("v", value).mapTo(Long.class).one());
    }

    private long leads(Bot bot) {
        return count("leads", "chatbot_id", bot.chatbot().id());
    }

    private long deliveries(Lead lead) {
        return count("webhook_deliveries", "lead_id", lead.id());
    }

    private long keys(Lead lead) {
        return count("lead_idempotency_keys", "lead_id", lead.id());
    }

    @Test
    void purgeDeletesOldLeadsWithTheirDeliveriesAndKeysAndKeepsYoungOnes() {
        Bot bot = bot();
        Bot other = bot();
        Lead old = lead(bot, 40);
        Lead older = lead(bot, 400);
        Lead young = lead(bot, 10);
        Lead othersOld = lead(other, 400);
        assertEquals(1, deliveries(old));
        assertEquals(1, keys(old));

        long cutoff = app.leadRetention().cutoff(30);
        assertEquals(2, app.leadRetention().count(bot.chatbot().id(), cutoff));
        assertEquals(3, leads(bot), "counting deletes nothing");

        assertEquals(2, app.leadRetention().purge(bot.chatbot().id(), cutoff));
        assertTrue(app.leads().find(old.id()).isEmpty());
        assertTrue(app.leads().find(older.id()).isEmpty());
        assertEquals(0, deliveries(old) + deliveries(older));
        assertEquals(0, keys(old) + keys(older));
        assertTrue(app.leads().find(young.id()).isPresent());
        assertEquals(1, deliveries(young));
        assertEquals(1, keys(young));
        assertTrue(app.leads().find(othersOld.id()).isPresent(), "another chatbot's leads are untouched");
        assertEquals(0, app.leadRetention().purge(bot.chatbot().id(), cutoff), "a second purge finds nothing");
    }

    @Test
    void theJobFollowsEachOwnersRetentionThenTheServerDefault() {
        Bot keepsThirty = bot();
        Bot keepsForever = bot();
        Bot followsDefault = bot();
        app.owners().setLeadRetentionDays(keepsThirty.owner().id(), 30);
        app.owners().setLeadRetentionDays(keepsForever.owner().id(), 0);
        Lead thirtyOld = lead(keepsThirty, 40);
        Lead thirtyYoung = lead(keepsThirty, 20);
        Lead foreverOld = lead(keepsForever, 4000);
        Lead defaultMiddle = lead(followsDefault, 40);
        Lead defaultOld = lead(followsDefault, 400);

        app.leadRetention().purgeExpired(0);
        assertTrue(app.leads().find(thirtyOld.id()).isEmpty(), "the owner's own 30 days apply with no default");
        assertTrue(app.leads().find(thirtyYoung.id()).isPresent());
        assertTrue(app.leads().find(defaultOld.id()).isPresent(), "no default: kept forever");

        app.leadRetention().purgeExpired(365);
        assertTrue(app.leads().find(defaultOld.id()).isEmpty(), "the default of 365 days applies");
        assertTrue(app.leads().find(defaultMiddle.id()).isPresent());
        assertTrue(app.leads().find(foreverOld.id()).isPresent(), "forever beats the default");
        assertTrue(app.leads().find(thirtyYoung.id()).isPresent(), "the owner's 30 days beat the default");
        assertEquals(java.util.Map.of(keepsThirty.owner().id(), 30, keepsForever.owner().id(), 0),
                filtered(app.owners().leadRetentionDays(), keepsThirty, keepsForever, followsDefault));
    }

    private static java.util.Map<String, Integer> filtered(java.util.Map<String, Integer> all, Bot... bots) {
        java.util.Map<String, Integer> mine = new java.util.HashMap<>();
        for (Bot bot : bots) {
            if (all.containsKey(bot.owner().id())) {
                mine.put(bot.owner().id(), all.get(bot.owner().id()));
            }
        }
        return mine;
    }

    @Test
    void twoServersPurgingAtOnceDeleteEachLeadOnceAndFailNothing() throws Exception {
        Bot bot = bot();
        int old = 2 * LeadRetention.BATCH + 500;
        List<NewLead> batch = new ArrayList<>();
        long created = System.currentTimeMillis() - 100 * DAY;
        for (int i = 0; i < old; i++) {
            batch.add(new NewLead(bot.chatbot().id(), bot.owner().id(), "Lead " + i, null, null, null,
                    Instant.ofEpochMilli(created + i)));
        }
        app.database().jdbi().useTransaction(h -> app.leads().insertAll(h, batch, false));
        Lead young = lead(bot, 1);
        long cutoff = app.leadRetention().cutoff(30);

        try (Chatleads second = database.open()) {
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Long> one = CompletableFuture.supplyAsync(() -> {
                await(start);
                return app.leadRetention().purge(bot.chatbot().id(), cutoff);
            });
            CompletableFuture<Long> two = CompletableFuture.supplyAsync(() -> {
                await(start);
                return second.leadRetention().purge(bot.chatbot().id(), cutoff);
            });
            start.countDown();
            // join() throws if either failed: a lock timeout, a busy database, a deadlock.
            assertEquals(old, one.join() + two.join(), "each old lead deleted by exactly one of them");
        }
        assertEquals(1, leads(bot));
        assertTrue(app.leads().find(young.id()).isPresent());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
