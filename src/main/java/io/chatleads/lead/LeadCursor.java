package io.chatleads.lead;

import io.chatleads.error.InvalidInput;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The keyset position after which the next page starts: the (created_at, id) of the last lead
 * sent. Clients treat it as opaque and only copy it from the {@code Link} header; its form is a
 * version byte and two big-endian longs, base64url without padding, so it can change later.
 */
public record LeadCursor(long createdAtMillis, long id) {

    private static final byte VERSION = 1;
    private static final int BYTES = 1 + Long.BYTES + Long.BYTES;
    private static final int ENCODED_LENGTH = 23; // ceil(17 * 4 / 3) without padding

    public static LeadCursor after(Lead lead) {
        return new LeadCursor(lead.createdAt().toEpochMilli(), lead.id());
    }

    public String encode() {
        ByteBuffer bytes = ByteBuffer.allocate(BYTES).put(VERSION).putLong(createdAtMillis).putLong(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** The cursor, or a 400 naming the parameter when it is not one this server wrote. */
    public static LeadCursor decode(String value) {
        if (value.length() != ENCODED_LENGTH) {
            throw malformed();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw);
        if (raw.length != BYTES || bytes.get() != VERSION) {
            throw malformed();
        }
        long createdAt = bytes.getLong();
        long id = bytes.getLong();
        if (id < 0) {
            throw malformed();
        }
        return new LeadCursor(createdAt, id);
    }

    private static InvalidInput malformed() {
        return new InvalidInput("cursor is malformed; pass the value from the Link header's next URL unchanged");
    }
}
