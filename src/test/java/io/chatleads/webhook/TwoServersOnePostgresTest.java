package io.chatleads.webhook;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two servers, each with its own pool and worker, on one PostgreSQL database: 500 leads submitted
 * across them are each delivered, and no attempt is made by both.
 */
class TwoServersOnePostgresTest {

    private static final int LEADS = 500;

    @Test
    void eachEventIsDeliveredAndNoAttemptIsMadeByBothServers() {
        Map<String, AtomicInteger> receivedById = new ConcurrentHashMap<>();
        Map<String, String> env = new HashMap<>(AbstractWebhookHttpTest.FAST_DELIVERY);
        env.put("CHATLEADS_WEBHOOK_CONCURRENCY", "4");
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRES);
             TestServer first = TestServer.start(database, env);
             TestServer second = TestServer.start(database, env);
             Receiver receiver = Receiver.ok()) {
            receiver.respondWith(n -> {
                try {
                    Thread.sleep(2); // a receiver that does a little work, so both servers get a share
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 200;
            });
            Owner owner = first.app().owners().create("two@example.com");
            Chatbot chatbot = first.app().chatbots().create(owner.id(), "bot");
            Webhook hook = first.app().webhooks().create(owner.id(), null, receiver.url("/hook"),
                    WebhookRepository.EVENT_TYPES).webhook();

            long started = System.nanoTime();
            List<TestServer> servers = List.of(first, second);
            for (int i = 0; i < LEADS; i++) {
                AbstractWebhookHttpTest.submitLead(servers.get(i % 2), chatbot, "lead" + i + "@example.com");
            }
            Receiver.await("all " + LEADS + " events to be delivered",
                    () -> first.app().webhooks().pendingCount() == 0);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("two servers delivered %d events in %.2f s (submission included)%n", LEADS, seconds);

            for (Receiver.Received request : receiver.received()) {
                receivedById.computeIfAbsent(request.header("webhook-id"), id -> new AtomicInteger()).incrementAndGet();
            }
            assertEquals(LEADS, receivedById.size(), "every event arrived");
            assertTrue(receivedById.values().stream().allMatch(count -> count.get() == 1),
                    "no event was sent twice, so no attempt was made by both servers");

            List<Map<String, Object>> attempts = first.app().database().jdbi().withHandle(handle -> handle.createQuery("""
                            SELECT a.delivery_id, a.attempt, a.server_id, a.status_code
                            FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
                            WHERE d.webhook_id = :webhookId
                            """)
                    .bind("webhookId", hook.id())
                    .mapToMap()
                    .list());
            assertEquals(LEADS, attempts.size(), "one attempt per event");
            assertEquals(LEADS, attempts.stream().map(a -> a.get("delivery_id")).distinct().count());
            assertTrue(attempts.stream().allMatch(a -> ((Number) a.get("status_code")).intValue() == 200));
            Map<Object, Long> byServer = new HashMap<>();
            attempts.forEach(a -> byServer.merge(a.get("server_id"), 1L, Long::sum));
            System.out.println("attempts by server: " + byServer);
            assertEquals(2, byServer.size(), "both servers delivered a share");
            List<Delivery> deliveries = first.app().webhooks().recentDeliveries(hook.id(), LEADS);
            assertEquals(LEADS, deliveries.size());
            assertTrue(deliveries.stream().allMatch(d -> d.status() == Delivery.Status.SUCCEEDED && d.attempts() == 1));
        }
    }
}
