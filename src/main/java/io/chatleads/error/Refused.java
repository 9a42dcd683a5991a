package io.chatleads.error;

/** A caller who is known but may not do this (an origin a chatbot does not allow, say). HTTP 403. */
public final class Refused extends DomainException {

    public Refused(String message) {
        super(message);
    }
}
