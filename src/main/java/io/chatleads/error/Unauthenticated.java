package io.chatleads.error;

/** No credentials, or credentials that are wrong, unknown or revoked. HTTP 401. */
public final class Unauthenticated extends DomainException {

    public Unauthenticated(String message) {
        super(message);
    }
}
