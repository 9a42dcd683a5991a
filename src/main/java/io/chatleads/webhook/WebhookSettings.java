package io.chatleads.webhook;

import io.chatleads.Settings;

/**
 * The delivery settings; see docs/webhooks.md for the table. The defaults give about ten attempts
 * over about a day: after attempt n the next waits {@code retryBaseMillis * 2^(n-1)}, ±20 %, so
 * 3 min, 6 min, … 12.8 h, about 25 h in all.
 */
public record WebhookSettings(
        boolean allowPrivate,
        int concurrency,
        int pollMillis,
        int retryBaseMillis,
        int maxAttempts,
        int leaseMillis,
        int secretGraceHours) {

    public static final String SECRET_GRACE_SETTING = "CHATLEADS_WEBHOOK_SECRET_GRACE_HOURS";
    static final int DEFAULT_SECRET_GRACE_HOURS = 24;

    public static WebhookSettings from(Settings settings) {
        return new WebhookSettings(
                settings.bool(EndpointPolicy.ALLOW_PRIVATE_SETTING, false),
                // 0: this server stores events but leaves sending them to other servers.
                settings.integer("CHATLEADS_WEBHOOK_CONCURRENCY", 8, 0, 256),
                settings.integer("CHATLEADS_WEBHOOK_POLL_MS", 1_000, 10, 60_000),
                settings.integer("CHATLEADS_WEBHOOK_RETRY_BASE_MS", 180_000, 1, 86_400_000),
                settings.integer("CHATLEADS_WEBHOOK_MAX_ATTEMPTS", 10, 1, 100),
                // Must outlast one attempt (5 s connect + 10 s request, plus a cold start or a slow
                // name lookup), or a slow attempt would be made again while it is still running.
                settings.integer("CHATLEADS_WEBHOOK_LEASE_MS", 60_000, 20_000, 3_600_000),
                // After a secret rotation the old secret signs beside the new one this long; a day
                // lets receivers deploy the new secret without rejecting events meanwhile.
                settings.integer(SECRET_GRACE_SETTING, DEFAULT_SECRET_GRACE_HOURS, 0, 720));
    }

    /** {@link #secretGraceHours} in milliseconds. */
    public long secretGraceMillis() {
        return secretGraceHours * 3_600_000L;
    }
}
