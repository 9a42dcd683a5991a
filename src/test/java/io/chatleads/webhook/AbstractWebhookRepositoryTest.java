package io.chatleads.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.app.Chatleads;
import io.chatleads.db.Database;
import io.chatleads.ops.Metrics;
import io.chatleads.lead.Lead;
import io.chatleads.lead.LeadRepository;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;
import io.chatleads.owner.OwnerRepository;
import io.chatleads.support.MutableClock;
import io.chatleads.support.TestDatabase;
import io.chatleads.webhook.Delivery.Status;
import io.chatleads.webhook.WebhookRepository.RetryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook repository's contract, run against each database by a subclass. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractWebhookRepositoryTest {

    private static final String SERVER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private TestDatabase testDatabase;
    private Database database;
    private MutableClock clock;
    private WebhookRepository webhooks;
    private LeadRepository leads;
    private OwnerRepository owners;
    private ChatbotRepository chatbots;

    private Owner owner;
    private Chatbot chatbot;

    protected abstract TestDatabase.Kind kind();

    @BeforeAll
    void openDatabase() {
        testDatabase = TestDatabase.create(kind());
        database = Database.open(testDatabase.settings());
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        SecretBox secrets = SecretBox.from(io.chatleads.Settings.from(Map.of(SecretBox.SETTING, SERVER_KEY)));
        // The production wiring, with this test's clock and webhook key and no caches.
        Chatleads app = new Chatleads(database, clock, secrets, new Metrics(), Duration.ZERO);
        webhooks = app.webhooks();
        leads = app.leads();
        owners = app.owners();
        chatbots = app.chatbots();
    }

    @AfterAll
    void closeDatabase() {
        database.close();
        testDatabase.close();
    }

    /** Each test gets its own owner and chatbot, so tests see only their own deliveries. */
    @BeforeEach
    void freshOwner() {
        owner = newOwner();
        chatbot = chatbots.create(owner.id(), "bot");
    }

    private Owner newOwner() {
        return owners.create(UUID.randomUUID() + "@example.com");
    }

    private Lead submitLead(Chatbot bot) {
        return leads.create(new NewLead(bot.id(), bot.ownerId(), "Ada Lovelace", "ada@example.com", "+14155550100",
                "conv-1", clock.instant()));
    }

    private Webhook webhook(String chatbotId) {
        return webhooks.create(owner.id(), chatbotId, "https://example.com/hook", WebhookRepository.EVENT_TYPES).webhook();
    }

    /** Every due delivery of this test's webhooks, claimed by {@code server}. */
    private List<ClaimedDelivery> claimAll(String server, Webhook... ofWebhooks) {
        Set<String> ids = new HashSet<>();
        for (Webhook w : ofWebhooks) {
            ids.add(w.id());
        }
        return webhooks.claim(server, 10_000, 60_000).stream().filter(c -> ids.contains(c.webhookId())).toList();
    }

    @Test
    void aNewLeadWritesOneDeliveryForEachWebhookThatWantsIt() throws Exception {
        Chatbot other = chatbots.create(owner.id(), "other bot");
        Webhook forAll = webhook(null);
        Webhook forThisBot = webhook(chatbot.id());
        Webhook forOtherBot = webhook(other.id());
        Owner stranger = newOwner();
        Webhook strangers = webhooks.create(stranger.id(), null, "https://example.com/s", WebhookRepository.EVENT_TYPES).webhook();

        Lead lead = submitLead(chatbot);

        assertEquals(1, webhooks.recentDeliveries(forAll.id(), 10).size());
        assertEquals(1, webhooks.recentDeliveries(forThisBot.id(), 10).size());
        assertEquals(0, webhooks.recentDeliveries(forOtherBot.id(), 10).size());
        assertEquals(0, webhooks.recentDeliveries(strangers.id(), 10).size());

        Delivery delivery = webhooks.recentDeliveries(forAll.id(), 10).get(0);
        assertEquals(Status.PENDING, delivery.status());
        assertEquals(lead.id(), delivery.leadId());
        assertEquals("leads.submit", delivery.eventType());
        assertTrue(delivery.id().startsWith("msg_"));

        ClaimedDelivery claimed = claimAll("s1", forAll).get(0);
        JsonNode body = new ObjectMapper().readTree(claimed.body());
        assertEquals("leads.submit", body.get("eventType").asText());
        assertEquals(chatbot.id(), body.get("chatbotId").asText());
        JsonNode payload = body.get("payload");
        assertEquals(List.of("conversationId", "customerEmail", "customerName", "customerPhone", "leadId", "createdAt"),
                fieldNames(payload));
        assertEquals("conv-1", payload.get("conversationId").asText());
        assertEquals("ada@example.com", payload.get("customerEmail").asText());
        assertEquals("Ada Lovelace", payload.get("customerName").asText());
        assertEquals("+14155550100", payload.get("customerPhone").asText());
        assertEquals(lead.id(), payload.get("leadId").asLong());
        assertEquals("2026-01-01T00:00:00.000Z", payload.get("createdAt").asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void manyLeadsAreEnqueuedInOneBatch() {
        Chatbot other = chatbots.create(owner.id(), "other bot");
        Webhook forAll = webhook(null);
        Webhook forOther = webhook(other.id());
        List<Lead> stored = new ArrayList<>();
        int written = database.jdbi().inTransaction(handle -> {
            for (int i = 0; i < 10; i++) {
                Chatbot bot = i % 2 == 0 ? chatbot : other;
                // Stored without listeners, as a bulk path would, then enqueued in one go.
                long id = handle.createQuery("""
                                INSERT INTO leads (chatbot_id, owner_id, email, created_at)
                                VALUES (:chatbotId, :ownerId, :email, :createdAt) RETURNING id""")
                        .bind("chatbotId", bot.id()).bind("ownerId", owner.id()).bind("email", i + "@example.com")
                        .bind("createdAt", clock.millis()).mapTo(Long.class).one();
                stored.add(new Lead(id, bot.id(), owner.id(), null, i + "@example.com", null, null, clock.instant()));
            }
            return webhooks.enqueueLeadsSubmitted(handle, stored);
        });
        assertEquals(15, written);
        assertEquals(10, webhooks.recentDeliveries(forAll.id(), 100).size());
        assertEquals(5, webhooks.recentDeliveries(forOther.id(), 100).size());
        assertEquals(10, webhooks.recentDeliveries(forAll.id(), 100).stream().map(Delivery::leadId).distinct().count());
    }

    @Test
    void erasingALeadErasesItsDeliveriesWhichCarryItsPersonalData() {
        Webhook hook = webhook(null);
        Lead erased = submitLead(chatbot);
        Lead kept = submitLead(chatbot);
        database.jdbi().useHandle(handle -> handle.createUpdate("DELETE FROM leads WHERE id = :id")
                .bind("id", erased.id()).execute());
        assertEquals(List.of(kept.id()), webhooks.recentDeliveries(hook.id(), 10).stream().map(Delivery::leadId).toList());
    }

    @Test
    void theEventRollsBackWithTheLead() {
        Webhook hook = webhook(null);
        assertThrows(IllegalStateException.class, () -> database.jdbi().useTransaction(handle -> {
            leads.insert(handle, new NewLead(chatbot.id(), owner.id(), "x", "x@example.com", null, null, clock.instant()));
            throw new IllegalStateException("the caller fails after the insert");
        }));
        assertEquals(0, webhooks.recentDeliveries(hook.id(), 10).size());
    }

    @Test
    void eachDueDeliveryIsLeasedToOneClaimOnly() {
        Webhook hook = webhook(null);
        for (int i = 0; i < 5; i++) {
            submitLead(chatbot);
        }
        List<ClaimedDelivery> first = webhooks.claim("s1", 3, 60_000);
        List<ClaimedDelivery> second = webhooks.claim("s2", 10_000, 60_000);
        List<ClaimedDelivery> third = webhooks.claim("s3", 10_000, 60_000);
        List<ClaimedDelivery> mine = new ArrayList<>();
        for (List<ClaimedDelivery> batch : List.of(first, second, third)) {
            mine.addAll(batch.stream().filter(c -> c.webhookId().equals(hook.id())).toList());
        }
        assertEquals(3, first.size());
        assertEquals(5, mine.size());
        assertEquals(5, mine.stream().map(ClaimedDelivery::id).distinct().count());
        assertTrue(mine.stream().allMatch(c -> c.attempt() == 1 && c.attemptsAllowed() == null));
        assertEquals("https://example.com/hook", mine.get(0).endpoint());
    }

    @Test
    void concurrentClaimsNeverShareADelivery() throws Exception {
        Webhook hook = webhook(null);
        for (int i = 0; i < 60; i++) {
            submitLead(chatbot);
        }
        int claimers = 4;
        List<Thread> threads = new ArrayList<>();
        Map<String, String> claimedBy = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (int t = 0; t < claimers; t++) {
            String server = "s" + t;
            threads.add(new Thread(() -> {
                List<ClaimedDelivery> batch;
                do {
                    batch = webhooks.claim(server, 3, 60_000);
                    synchronized (claimedBy) {
                        for (ClaimedDelivery c : batch) {
                            if (claimedBy.put(c.id(), server) != null) {
                                duplicates.add(c.id());
                            }
                        }
                    }
                } while (!batch.isEmpty());
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), duplicates);
        assertEquals(60, claimedBy.keySet().stream()
                .filter(id -> webhooks.findDelivery(hook.id(), id).isPresent()).count());
    }

    @Test
    void anExpiredLeaseGoesToAnotherServerWithTheNextAttemptNumber() {
        Webhook hook = webhook(null);
        submitLead(chatbot);
        ClaimedDelivery byS1 = webhooks.claim("s1", 10_000, 1_000).stream()
                .filter(c -> c.webhookId().equals(hook.id())).findFirst().orElseThrow();
        assertTrue(claimAll("s2", hook).isEmpty(), "a live lease is not claimed again");

        clock.advance(Duration.ofMillis(1_001));
        ClaimedDelivery byS2 = claimAll("s2", hook).get(0);
        assertEquals(byS1.id(), byS2.id());
        assertEquals(2, byS2.attempt());

        // s1 comes back late: its attempt is recorded, but it no longer decides the delivery's state.
        assertFalse(webhooks.complete(byS1, "s1", new AttemptOutcome(clock.millis(), 5, 200, null), Status.SUCCEEDED, null));
        assertEquals(Status.PENDING, webhooks.findDelivery(hook.id(), byS1.id()).orElseThrow().status());
        assertTrue(webhooks.complete(byS2, "s2", new AttemptOutcome(clock.millis(), 7, 204, null), Status.SUCCEEDED, null));

        Delivery delivery = webhooks.findDelivery(hook.id(), byS1.id()).orElseThrow();
        assertEquals(Status.SUCCEEDED, delivery.status());
        assertEquals(2, delivery.attempts());
        assertNull(delivery.nextAttemptAt());
        assertEquals(List.of("s1", "s2"), delivery.attemptLog().stream().map(Delivery.Attempt::serverId).toList());
        assertEquals(204, delivery.lastStatusCode());
    }

    @Test
    void aFailedAttemptWaitsForItsRetryThenTheDeliveryFailsAndCanBeRetriedOnce() {
        Webhook hook = webhook(null);
        submitLead(chatbot);
        ClaimedDelivery first = claimAll("s1", hook).get(0);
        long retryAt = clock.millis() + 60_000;
        assertTrue(webhooks.complete(first, "s1", new AttemptOutcome(clock.millis(), 3, 500, "HTTP 500"), Status.PENDING, retryAt));
        Delivery waiting = webhooks.findDelivery(hook.id(), first.id()).orElseThrow();
        assertEquals(Instant.ofEpochMilli(retryAt), waiting.nextAttemptAt());
        assertEquals("HTTP 500", waiting.lastError());
        assertTrue(claimAll("s1", hook).isEmpty(), "not due before its retry time");

        clock.advance(Duration.ofMillis(60_000));
        ClaimedDelivery second = claimAll("s1", hook).get(0);
        assertEquals(2, second.attempt());
        assertTrue(webhooks.complete(second, "s1", new AttemptOutcome(clock.millis(), 3, null, "cannot connect: refused"),
                Status.FAILED, null));
        Delivery failed = webhooks.findDelivery(hook.id(), first.id()).orElseThrow();
        assertEquals(Status.FAILED, failed.status());
        assertNull(failed.nextAttemptAt());
        assertNotNull(failed.completedAt());
        assertNull(failed.lastStatusCode());
        assertEquals(List.of("HTTP 500", "cannot connect: refused"),
                failed.attemptLog().stream().map(Delivery.Attempt::error).toList());
        clock.advance(Duration.ofDays(2));
        assertTrue(claimAll("s1", hook).isEmpty(), "a failed delivery is not retried by itself");

        assertEquals(RetryResult.SCHEDULED, webhooks.retry(hook.id(), first.id()));
        ClaimedDelivery manual = claimAll("s1", hook).get(0);
        assertEquals(3, manual.attempt());
        assertEquals(3, manual.attemptsAllowed(), "a manual retry of a finished delivery allows exactly one more attempt");
        assertEquals(RetryResult.IN_FLIGHT, webhooks.retry(hook.id(), first.id()));
    }

    @Test
    void retryNeedsTheDeliveryUnderThatWebhook() {
        Webhook hook = webhook(null);
        Webhook other = webhook(null);
        submitLead(chatbot);
        String deliveryId = webhooks.recentDeliveries(hook.id(), 1).get(0).id();
        assertEquals(RetryResult.NOT_FOUND, webhooks.retry(other.id(), deliveryId));
        assertEquals(RetryResult.NOT_FOUND, webhooks.retry(hook.id(), "msg_missing"));
        assertEquals(RetryResult.SCHEDULED, webhooks.retry(hook.id(), deliveryId));
    }

    @Test
    void webhooksBelongToTheirOwnerAndDeletingOneDeletesItsDeliveries() {
        Webhook hook = webhook(chatbot.id());
        Owner stranger = newOwner();
        assertTrue(webhooks.findOwned(hook.id(), owner.id()).isPresent());
        assertTrue(webhooks.findOwned(hook.id(), stranger.id()).isEmpty());
        assertEquals(List.of(hook), webhooks.listByOwner(owner.id()));
        assertEquals(List.of(), webhooks.listByOwner(stranger.id()));

        submitLead(chatbot);
        String deliveryId = webhooks.recentDeliveries(hook.id(), 1).get(0).id();
        assertTrue(webhooks.delete(hook.id()));
        assertFalse(webhooks.delete(hook.id()));
        assertTrue(webhooks.findDelivery(hook.id(), deliveryId).isEmpty());
        assertTrue(webhooks.find(hook.id()).isEmpty());
    }

    @Test
    void theSigningSecretIsSealedAtRestAndOpensForSigning() {
        CreatedWebhook created = webhooks.create(owner.id(), null, "https://example.com/hook", WebhookRepository.EVENT_TYPES);
        assertTrue(created.secret().startsWith("whsec_"));
        String stored = database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT sealed_secret FROM webhooks WHERE id = :id")
                .bind("id", created.webhook().id()).mapTo(String.class).one());
        assertFalse(stored.contains(created.secret().substring("whsec_".length())), "the secret is not stored in clear");
        submitLead(chatbot);
        ClaimedDelivery claimed = claimAll("s1", created.webhook()).get(0);
        assertEquals(created.secret(), webhooks.openSecret(claimed));
        assertThrows(IllegalStateException.class, () -> SecretBox.unencrypted().open(created.webhook().id(), stored));
    }

    @Test
    void theOutboxDepthCountsUnfinishedDeliveries() {
        long before = webhooks.pendingCount();
        Webhook hook = webhook(null);
        submitLead(chatbot);
        submitLead(chatbot);
        assertEquals(before + 2, webhooks.pendingCount());
        ClaimedDelivery claimed = claimAll("s1", hook).get(0);
        webhooks.complete(claimed, "s1", new AttemptOutcome(clock.millis(), 1, 200, null), Status.SUCCEEDED, null);
        assertEquals(before + 1, webhooks.pendingCount());
    }

    // ---- signing secrets: rotation for receivers (issue 20, point 6), key rotation and rekey (point 5) ----

    /** A receiver's Standard Webhooks check: any one of the space-separated signatures verifies with this secret. */
    static boolean verifies(String secret, Receiver.Received event) throws Exception {
        return event.signedWith(secret);
    }

    /** The repository on a clock of its own, which these tests move on without moving the other tests' clock. */
    private WebhookRepository onOwnClock(MutableClock own) {
        return new WebhookRepository(database.jdbi(), database.dialect(), own, box(SERVER_KEY, null));
    }

    private static WebhookWorker idleWorker(WebhookRepository repository, MutableClock own) {
        // concurrency 0: it never polls; the test hands it each claimed delivery
        return WebhookWorker.start(repository, new WebhookSettings(true, 0, 1_000, 1_000, 3, 60_000, 24), own);
    }

    private static ClaimedDelivery claimOne(WebhookRepository repository, WebhookWorker worker, Webhook webhook) {
        return repository.claim(worker.serverId(), 10_000, 60_000).stream()
                .filter(c -> c.webhookId().equals(webhook.id())).findFirst().orElseThrow();
    }

    @Test
    void duringTheGracePeriodAReceiverVerifiesWithTheOldOrTheNewSecretAndAfterItOnlyWithTheNew() throws Exception {
        MutableClock own = new MutableClock(clock.instant());
        WebhookRepository timed = onOwnClock(own);
        try (Receiver receiver = Receiver.ok(); WebhookWorker worker = idleWorker(timed, own)) {
            CreatedWebhook created = timed.create(owner.id(), chatbot.id(), receiver.url("/hook"), WebhookRepository.EVENT_TYPES);
            RotatedSecret rotated = timed.rotateSecret(created.webhook().id(), Duration.ofHours(1).toMillis()).orElseThrow();
            assertFalse(rotated.secret().equals(created.secret()));
            assertEquals(own.instant().plus(Duration.ofHours(1)), rotated.previousSecretExpiresAt());

            submitLead(chatbot);
            worker.attempt(claimOne(timed, worker, created.webhook()));
            Receiver.Received during = receiver.awaitRequests(1).get(0);
            assertTrue(verifies(created.secret(), during), "the old secret verifies during the grace period");
            assertTrue(verifies(rotated.secret(), during), "the new secret verifies during the grace period");
            assertEquals(2, during.header("webhook-signature").split(" ").length);
            assertEquals(WebhookSigner.chatbaseSignature(rotated.secret(), during.body()), during.header("x-chatbase-signature"));

            own.advance(Duration.ofHours(1));
            submitLead(chatbot);
            worker.attempt(claimOne(timed, worker, created.webhook()));
            Receiver.Received after = receiver.awaitRequests(2).get(1);
            assertFalse(verifies(created.secret(), after), "the old secret no longer verifies once the grace period is over");
            assertTrue(verifies(rotated.secret(), after));
            assertEquals(1, after.header("webhook-signature").split(" ").length);
        }
    }

    @Test
    void aSecondRotationEndsTheFirstSecretsGraceAndNoGraceEndsItAtOnce() throws Exception {
        MutableClock own = new MutableClock(clock.instant());
        WebhookRepository timed = onOwnClock(own);
        try (Receiver receiver = Receiver.ok(); WebhookWorker worker = idleWorker(timed, own)) {
            CreatedWebhook created = timed.create(owner.id(), chatbot.id(), receiver.url("/hook"), WebhookRepository.EVENT_TYPES);
            String id = created.webhook().id();
            RotatedSecret second = timed.rotateSecret(id, Duration.ofHours(24).toMillis()).orElseThrow();
            RotatedSecret third = timed.rotateSecret(id, Duration.ofHours(24).toMillis()).orElseThrow();
            submitLead(chatbot);
            worker.attempt(claimOne(timed, worker, created.webhook()));
            Receiver.Received event = receiver.awaitRequests(1).get(0);
            assertFalse(verifies(created.secret(), event));
            assertTrue(verifies(second.secret(), event));
            assertTrue(verifies(third.secret(), event));

            RotatedSecret fourth = timed.rotateSecret(id, 0).orElseThrow();
            assertNull(fourth.previousSecretExpiresAt());
            submitLead(chatbot);
            worker.attempt(claimOne(timed, worker, created.webhook()));
            Receiver.Received alone = receiver.awaitRequests(2).get(1);
            assertFalse(verifies(third.secret(), alone));
            assertTrue(verifies(fourth.secret(), alone));
        }
        assertTrue(webhooks.rotateSecret("wh_missing", 1_000).isEmpty());
    }

    private String storedSecret(String webhookId, String column) {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT " + column + " FROM webhooks WHERE id = :id")
                .bind("id", webhookId).mapTo(String.class).one());
    }

    private void store(String webhookId, String sealed) {
        database.jdbi().useHandle(handle -> handle.createUpdate("UPDATE webhooks SET sealed_secret = :s WHERE id = :id")
                .bind("s", sealed).bind("id", webhookId).execute());
    }

    private SecretBox box(String current, String previous) {
        Map<String, String> env = new HashMap<>();
        env.put(SecretBox.SETTING, current);
        if (previous != null) {
            env.put(SecretBox.PREVIOUS_SETTING, previous);
        }
        return SecretBox.from(io.chatleads.Settings.from(env));
    }

    /**
     * A new CHATLEADS_WEBHOOK_SECRET_KEY with the old one in CHATLEADS_WEBHOOK_PREVIOUS_SECRET_KEYS
     * opens everything; rekey (interrupted once, then run again) seals every secret anew, those
     * stored before key ids and unencrypted ones included, after which the new key alone opens them.
     */
    @Test
    void rekeyMovesEverySecretToTheNewKeyResumablyAndTheOldKeyCanThenGo() throws Exception {
        String newKey = java.util.Base64.getEncoder().encodeToString(java.security.SecureRandom.getInstanceStrong().generateSeed(32));
        List<CreatedWebhook> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(webhooks.create(owner.id(), chatbot.id(), "https://example.com/hook" + i, WebhookRepository.EVENT_TYPES));
        }
        store(created.get(0).webhook().id(), SecretBoxTest.legacySeal(SERVER_KEY, created.get(0).secret()));
        store(created.get(1).webhook().id(), "plain:" + created.get(1).secret());
        RotatedSecret rotated = webhooks.rotateSecret(created.get(2).webhook().id(), Duration.ofHours(1).toMillis()).orElseThrow();

        WebhookRepository afterKeyChange = new WebhookRepository(database.jdbi(), database.dialect(), clock, box(newKey, SERVER_KEY));
        try {
            class Stop extends RuntimeException {
            }
            assertThrows(Stop.class, () -> afterKeyChange.rekey(1, line -> {
                throw new Stop();
            }), "interrupted after its first batch");
            WebhookRepository.RekeyResult rest = afterKeyChange.rekey(3, line -> { });
            assertEquals(List.of(), rest.failed());
            assertTrue(rest.alreadyCurrent() >= 1, "what the interrupted run did is not done again");
            assertEquals(0, afterKeyChange.rekey(100, line -> { }).rekeyed(), "a second run finds nothing to do");

            SecretBox newOnly = box(newKey, null);
            for (CreatedWebhook webhook : created) {
                String stored = storedSecret(webhook.webhook().id(), "sealed_secret");
                assertTrue(newOnly.isCurrent(stored), "sealed under the new key: " + stored.substring(0, 6));
            }
            assertTrue(newOnly.isCurrent(storedSecret(created.get(2).webhook().id(), "previous_sealed_secret")),
                    "the secret still in its grace period too");

            WebhookRepository withoutOldKey = new WebhookRepository(database.jdbi(), database.dialect(), clock, newOnly);
            submitLead(chatbot);
            for (ClaimedDelivery claimed : claimAll("s1", created.stream().map(CreatedWebhook::webhook).toArray(Webhook[]::new))) {
                int index = created.stream().map(c -> c.webhook().id()).toList().indexOf(claimed.webhookId());
                String expected = index == 2 ? rotated.secret() : created.get(index).secret();
                assertEquals(expected, withoutOldKey.openSecret(claimed));
                if (index == 2) {
                    assertEquals(created.get(2).secret(), withoutOldKey.openPreviousSecret(claimed));
                }
            }
        } finally {
            // Every webhook of this database is under the new key now; the other tests' repository has the old one.
            new WebhookRepository(database.jdbi(), database.dialect(), clock, box(SERVER_KEY, newKey)).rekey(100, line -> { });
        }
    }

    @Test
    void rekeyListsSecretsNoConfiguredKeyOpensAndChangesNothingElse() {
        CreatedWebhook created = webhooks.create(owner.id(), chatbot.id(), "https://example.com/hook", WebhookRepository.EVENT_TYPES);
        String before = storedSecret(created.webhook().id(), "sealed_secret");
        String otherKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        WebhookRepository.RekeyResult result = new WebhookRepository(database.jdbi(), database.dialect(), clock, box(otherKey, null))
                .rekey(100, line -> { });
        assertTrue(result.failed().stream().anyMatch(line -> line.startsWith(created.webhook().id() + ": ")), result.failed().toString());
        assertEquals(before, storedSecret(created.webhook().id(), "sealed_secret"));
        assertThrows(IllegalStateException.class, () -> new WebhookRepository(database.jdbi(), database.dialect(), clock,
                SecretBox.unencrypted()).rekey(100, line -> { }));
    }
}
