package io.chatleads.lead;

/**
 * One page of a chatbot's leads, newest first, with created_at in [fromMillis, toMillis].
 * Page is 1-based. When {@code after} is set (the keyset cursor), the page starts right after
 * that position and {@code page} only numbers it.
 */
public record LeadPageQuery(String chatbotId, long fromMillis, long toMillis, int page, int size, LeadCursor after) {

    public LeadPageQuery(String chatbotId, long fromMillis, long toMillis, int page, int size) {
        this(chatbotId, fromMillis, toMillis, page, size, null);
    }

    public long offset() {
        return (long) (page - 1) * size;
    }
}
