package io.chatleads.error;

/**
 * A request, command or import that cannot be done, for a reason its caller can fix, with the one
 * sentence they see. Feature code throws the subtypes; {@code http.ErrorMapping} turns each into its
 * status and {@code {"message": …}}, the command line into its one-line message and status 2. No
 * stack trace: it is an answer, not a fault ({@link Unavailable} included: the database being away is
 * the operator's fault to fix, not the request's, and the answer says when to try again).
 */
public abstract sealed class DomainException extends RuntimeException
        permits InvalidInput, NotFound, Conflict, Refused, Unauthenticated, Unavailable {

    DomainException(String message) {
        super(message, null, false, false);
    }
}
