package io.chatleads.webhook;

import java.time.Instant;
import java.util.List;

/**
 * One event for one webhook, with its attempts so far. {@code id} is the {@code webhook-id} header.
 * {@code nextAttemptAt} is set only while {@code status} is pending.
 */
public record Delivery(
        String id,
        String webhookId,
        String eventType,
        Long leadId,
        Status status,
        int attempts,
        Instant nextAttemptAt,
        Integer lastStatusCode,
        String lastError,
        Instant createdAt,
        Instant completedAt,
        List<Attempt> attemptLog) {

    public enum Status {
        PENDING, SUCCEEDED, FAILED;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status ofColumn(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public Delivery {
        attemptLog = List.copyOf(attemptLog);
    }

    /** One HTTP attempt: {@code statusCode} null when no response came (refused, timed out, unreachable). */
    public record Attempt(
            int attempt,
            String serverId,
            Instant startedAt,
            long durationMillis,
            Integer statusCode,
            String error) {
    }
}
