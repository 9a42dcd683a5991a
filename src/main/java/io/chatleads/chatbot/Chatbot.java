package io.chatleads.chatbot;

import java.time.Instant;

public record Chatbot(String id, String ownerId, String name, Instant createdAt) {
}
