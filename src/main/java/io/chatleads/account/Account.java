package io.chatleads.account;

import java.time.Instant;

/**
 * An owner as the console sees them: {@code passwordHash} null when they have no password yet and
 * so cannot sign in; {@code timeZone} an IANA zone id, the one the console cuts days in.
 */
public record Account(String ownerId, String email, String passwordHash, String timeZone, Instant createdAt) {

    /** Keeps the hash out of logs and exception messages. */
    @Override
    public String toString() {
        return "Account[ownerId=" + ownerId + ", email=" + email + ", timeZone=" + timeZone + "]";
    }
}
