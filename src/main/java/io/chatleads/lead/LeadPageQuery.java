package io.chatleads.lead;

/**
 * One page of a chatbot's leads, newest first, with created_at in [fromMillis, toMillis], limited
 * to leads of {@code ownerId} (the caller's: see LeadRepository.PAGE_AFTER_SQL). Page is 1-based.
 * When {@code after} is set (the keyset cursor), the page starts right after that position and
 * {@code page} only numbers it.
 */
record LeadPageQuery(String chatbotId, String ownerId, long fromMillis, long toMillis, int page, int size,
                            LeadCursor after) {

    /** A numbered page, without a cursor. */
    public LeadPageQuery(String chatbotId, String ownerId, long fromMillis, long toMillis, int page, int size) {
        this(chatbotId, ownerId, fromMillis, toMillis, page, size, null);
    }

    public long offset() {
        return (long) (page - 1) * size;
    }
}
