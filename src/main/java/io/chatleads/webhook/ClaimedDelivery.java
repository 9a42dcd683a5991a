package io.chatleads.webhook;

/**
 * A delivery this server has leased for one attempt: everything the attempt needs, so the HTTP call
 * holds no database connection. {@code attempt} is the fencing token its outcome is recorded with;
 * {@code attemptsAllowed} null means the worker's configured maximum; {@code secret} is still
 * sealed (see {@link SecretBox}), and so is {@code previousSecret}: the secret a rotation replaced,
 * still in its grace period, else null.
 */
record ClaimedDelivery(
        String id,
        String webhookId,
        String endpoint,
        String secret,
        String previousSecret,
        String body,
        int attempt,
        Integer attemptsAllowed) {

    /** Keeps the signing secret out of logs and exception messages. */
    @Override
    public String toString() {
        return "ClaimedDelivery[id=" + id + ", webhookId=" + webhookId + ", endpoint=" + endpoint
                + ", attempt=" + attempt + "]";
    }
}
