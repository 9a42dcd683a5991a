package io.chatleads.error;

/**
 * Something named by id that does not exist, or belongs to another owner: the two are one answer,
 * so nobody can tell another owner's data from none. HTTP 404.
 */
public final class NotFound extends DomainException {

    public NotFound(String message) {
        super(message);
    }
}
