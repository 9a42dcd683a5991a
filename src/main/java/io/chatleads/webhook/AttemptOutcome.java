package io.chatleads.webhook;

/** What one attempt came to. {@code statusCode} null when no HTTP response arrived. */
record AttemptOutcome(long startedAtMillis, long durationMillis, Integer statusCode, String error) {

    public boolean succeeded() {
        return statusCode != null && statusCode >= 200 && statusCode <= 299;
    }
}
