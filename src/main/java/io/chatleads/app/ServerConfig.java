package io.chatleads.app;

import io.chatleads.Settings;
import io.chatleads.bench.BenchRoutes;
import io.chatleads.db.ReadReplicas;
import io.chatleads.http.RateLimiter;
import io.chatleads.http.RateLimits;
import io.chatleads.http.ServerLimits;
import io.chatleads.lead.GetLeadsRoute;
import io.chatleads.lead.IdempotentLeadCreation;
import io.chatleads.lead.LeadRetention;
import io.chatleads.ops.Health;
import io.chatleads.webhook.SecretBox;
import io.chatleads.webhook.WebhookSettings;

import java.time.Duration;

/**
 * Every server setting, read once through each feature's own reader. Reading it is the settings
 * check ({@link Startup#validate}): the server is built from this very record, so {@code config}
 * and {@code serve} refuse exactly what the server would, before a database is opened or created.
 *
 * @param managementPort {@code CHATLEADS_MANAGEMENT_PORT}, null when health and metrics stay on the public port
 * @param publicUrl      {@code CHATLEADS_PUBLIC_URL}, null when links follow the request
 * @param leadRetentionDays {@code CHATLEADS_LEAD_RETENTION_DAYS}, 0 when leads are kept forever
 * @param sharedLimits   {@code CHATLEADS_REDIS_URL} and its companions, null when each server counts alone
 */
record ServerConfig(ServerLimits limits, RateLimiter perApiKey, RateLimiter perWidgetClient, boolean trustForwardedFor,
                    Duration cacheTtl, int healthTimeoutMillis, Duration idempotencyKeyLifetime,
                    WebhookSettings webhooks, boolean benchRoutes, String publicUrl, Integer managementPort,
                    int leadRetentionDays, RateLimits.Shared sharedLimits) {

    /** Throws {@link Settings.SettingsException} with one line naming the first bad setting. */
    static ServerConfig read(Settings settings) {
        // The webhook secret key is read by Chatleads, which encrypts with it; checked here all the same.
        SecretBox.from(settings);
        // The read replicas are configured by Chatleads, which routes reads to them; checked here all the same.
        ReadReplicas.Config.read(settings);
        settings.choice("CHATLEADS_LOG_FORMAT", "text", "text", "json");
        Integer managementPort = settings.string("CHATLEADS_MANAGEMENT_PORT", "").isEmpty() ? null
                : settings.integer("CHATLEADS_MANAGEMENT_PORT", 0, 0, 65535);
        if (managementPort != null && managementPort != 0 && managementPort == settings.port()) {
            throw new Settings.SettingsException("CHATLEADS_MANAGEMENT_PORT must differ from the public port " + settings.port());
        }
        return new ServerConfig(ServerLimits.from(settings), RateLimits.perApiKey(settings),
                RateLimits.perWidgetClient(settings), RateLimits.trustForwardedFor(settings), Chatleads.cacheTtl(settings),
                Health.timeoutMillis(settings), IdempotentLeadCreation.keyLifetime(settings), WebhookSettings.from(settings),
                BenchRoutes.enabled(settings), GetLeadsRoute.publicUrl(settings), managementPort,
                LeadRetention.defaultDays(settings), RateLimits.shared(settings));
    }
}
