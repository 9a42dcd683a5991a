package io.chatleads.error;

/** A request that clashes with what is stored (an Idempotency-Key reused for another body, say). HTTP 409. */
public final class Conflict extends DomainException {

    public Conflict(String message) {
        super(message);
    }
}
