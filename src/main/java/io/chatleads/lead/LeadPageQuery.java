package io.chatleads.lead;

/**
 * One page of a chatbot's leads, newest first, with created_at in [fromMillis, toMillis].
 * Page is 1-based.
 */
public record LeadPageQuery(String chatbotId, long fromMillis, long toMillis, int page, int size) {

    public long offset() {
        return (long) (page - 1) * size;
    }
}
