package io.chatleads.error;

/** Input that breaks a rule (a malformed date, a missing field); the message names the input and the rule. HTTP 400. */
public final class InvalidInput extends DomainException {

    public InvalidInput(String message) {
        super(message);
    }
}
