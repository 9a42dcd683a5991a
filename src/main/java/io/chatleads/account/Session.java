package io.chatleads.account;

import java.time.Instant;

/**
 * A signed-in browser: whose, the owner's email and time zone as of the look-up, and the CSRF token
 * its forms must carry. {@code idHash} is the stored SHA-256 of the cookie's id, never the id.
 */
public record Session(String idHash, String ownerId, String email, String timeZone, String csrfToken,
                      Instant createdAt, Instant lastSeenAt) {

    Session withLastSeenAt(Instant when) {
        return new Session(idHash, ownerId, email, timeZone, csrfToken, createdAt, when);
    }

    Session withTimeZone(String zone) {
        return new Session(idHash, ownerId, email, zone, csrfToken, createdAt, lastSeenAt);
    }

    /** Keeps the CSRF token out of logs and exception messages. */
    @Override
    public String toString() {
        return "Session[ownerId=" + ownerId + ", createdAt=" + createdAt + "]";
    }
}
