package io.chatleads.webhook;

import io.chatleads.Timestamps;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the API and the command line show of webhooks and deliveries; timestamps as in get-leads. */
public final class WebhookJson {

    private WebhookJson() {
    }

    public static Map<String, Object> webhook(Webhook webhook) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", webhook.id());
        out.put("endpoint", webhook.endpoint());
        out.put("events", webhook.events());
        out.put("chatbotId", webhook.chatbotId());
        out.put("createdAt", time(webhook.createdAt()));
        return out;
    }

    /** The webhook and its secret: the one answer that carries it. */
    public static Map<String, Object> created(CreatedWebhook created) {
        Map<String, Object> out = webhook(created.webhook());
        out.put("secret", created.secret());
        return out;
    }

    /** The webhook, its new secret (the one answer that carries it), and until when the old one still signs. */
    public static Map<String, Object> rotated(RotatedSecret rotated) {
        Map<String, Object> out = webhook(rotated.webhook());
        out.put("secret", rotated.secret());
        out.put("previousSecretExpiresAt", time(rotated.previousSecretExpiresAt()));
        return out;
    }

    public static Map<String, Object> delivery(Delivery delivery) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", delivery.id());
        out.put("eventType", delivery.eventType());
        out.put("leadId", delivery.leadId());
        out.put("status", delivery.status().column());
        out.put("attemptCount", delivery.attempts());
        out.put("nextAttemptAt", time(delivery.nextAttemptAt()));
        out.put("lastStatusCode", delivery.lastStatusCode());
        out.put("lastError", delivery.lastError());
        out.put("createdAt", time(delivery.createdAt()));
        out.put("completedAt", time(delivery.completedAt()));
        List<Map<String, Object>> attempts = delivery.attemptLog().stream().map(attempt -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("attempt", attempt.attempt());
            a.put("startedAt", time(attempt.startedAt()));
            a.put("durationMs", attempt.durationMillis());
            a.put("statusCode", attempt.statusCode());
            a.put("error", attempt.error());
            return a;
        }).toList();
        out.put("attempts", attempts);
        return out;
    }

    static String time(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
