package io.chatleads.webhook;

import java.time.Instant;
import java.util.List;

/** A registered endpoint, as the owner sees it: never the signing secret. {@code chatbotId} null means all chatbots. */
public record Webhook(
        String id,
        String ownerId,
        String chatbotId,
        String endpoint,
        List<String> events,
        Instant createdAt) {

    public Webhook {
        events = List.copyOf(events);
    }
}
