package io.chatleads.owner;

import java.time.Instant;

/** A chatbot owner: the {@code chatbot_owner_user_id} of the API. */
public record Owner(String id, String email, Instant createdAt) {
}
