package io.chatleads.lead;

import java.time.Instant;

/** A validated lead about to be stored; {@link LeadValidator} builds these. */
public record NewLead(
        String chatbotId,
        String ownerId,
        String name,
        String email,
        String phone,
        String conversationId,
        Instant createdAt) {
}
