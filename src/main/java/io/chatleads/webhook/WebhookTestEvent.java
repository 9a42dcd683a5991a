package io.chatleads.webhook;

import io.chatleads.RandomIds;
import io.chatleads.lead.Lead;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;

/**
 * "Send a test event" (the console's webhook page): a {@code leads.submit} event with sample data,
 * queued like any other delivery, so it is signed, retried and listed with its attempts the same
 * way. Its delivery id starts with {@link #ID_PREFIX}, and the worker sends it with the header
 * {@code x-chatleads-test: true}, so receivers can tell it from a real lead.
 */
public final class WebhookTestEvent {

    public static final String HEADER = "x-chatleads-test";
    static final String ID_PREFIX = "msg_test_";

    private final Jdbi jdbi;
    private final Clock clock;

    public WebhookTestEvent(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Whether the worker must mark this delivery as a test. */
    public static boolean isTest(String deliveryId) {
        return deliveryId.startsWith(ID_PREFIX);
    }

    /** Queues the test event for the webhook; {@code chatbotId} is the one named in the body. Returns the delivery id. */
    public String send(Webhook webhook, String chatbotId) {
        long now = clock.millis();
        Lead sample = new Lead(0, chatbotId, webhook.ownerId(), "Test Lead", "test.lead@example.com", "+14155550100",
                "test-conversation", Instant.ofEpochMilli(now));
        String id = ID_PREFIX + RandomIds.urlSafe(20);
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO webhook_deliveries (id, webhook_id, event_type, lead_id, body, status, attempts,
                                                        next_attempt_at, created_at)
                        VALUES (:id, :webhookId, :eventType, NULL, :body, 'pending', 0, :now, :now)
                        """)
                .bind("id", id)
                .bind("webhookId", webhook.id())
                .bind("eventType", WebhookRepository.LEADS_SUBMIT)
                .bind("body", WebhookEvents.leadSubmitted(sample))
                .bind("now", now)
                .execute());
        return id;
    }
}
