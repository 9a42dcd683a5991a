package io.chatleads.lead;

import java.time.Instant;

/** A stored lead. The API shows seven of its fields; see {@link LeadJson}. */
public record Lead(
        long id,
        String chatbotId,
        String ownerId,
        String name,
        String email,
        String phone,
        String conversationId,
        Instant createdAt) {
}
