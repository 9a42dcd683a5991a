package io.chatleads.chatbot;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * chatbot id → owner id, each entry kept for a fixed time. Only chatbots that exist are kept, so
 * one created on another server is found at once. Bounded: when full it starts over, which costs
 * one query per chatbot and never a wrong answer.
 */
final class OwnerCache {

    private static final int MAX_ENTRIES = 200_000;

    private record Entry(String ownerId, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    OwnerCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /** The cached owner, or null when absent or expired. */
    String get(String chatbotId) {
        if (ttlNanos <= 0) {
            return null;
        }
        Entry entry = entries.get(chatbotId);
        return entry != null && System.nanoTime() - entry.expiresAtNanos() < 0 ? entry.ownerId() : null;
    }

    /** @param readAtNanos when the owner was read from the database, before the query */
    void put(String chatbotId, String ownerId, long readAtNanos) {
        if (ttlNanos <= 0) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(chatbotId, new Entry(ownerId, readAtNanos + ttlNanos));
    }

    void remove(String chatbotId) {
        entries.remove(chatbotId);
    }
}
