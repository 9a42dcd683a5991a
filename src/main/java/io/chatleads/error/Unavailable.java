package io.chatleads.error;

/**
 * The database cannot be reached just now (refused, reset, shutting down or starting up, or no
 * pooled connection free in time): the request may succeed if sent again a little later. HTTP 503
 * with {@code Retry-After: }{@value #RETRY_AFTER_SECONDS}. Never built from the driver's words,
 * which may name hosts and users: the one sentence below is all a client sees.
 *
 * <p>Nothing it answers was acknowledged: a capture whose transaction could not commit is never
 * answered 201. One whose connection was lost during COMMIT itself may have been stored all the
 * same, so a client that retries should send the same {@code Idempotency-Key}.
 */
public final class Unavailable extends DomainException {

    /**
     * Long enough for a PostgreSQL restart or fail-over to come back on the second or third try, short
     * enough that a widget visitor still waits for it.
     */
    public static final int RETRY_AFTER_SECONDS = 2;

    public Unavailable() {
        super("the database is unavailable; retry in " + RETRY_AFTER_SECONDS + " s");
    }
}
