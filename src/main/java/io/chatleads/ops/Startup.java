package io.chatleads.ops;

import io.chatleads.Chatleads;
import io.chatleads.Settings;
import io.chatleads.bench.BenchRoutes;
import io.chatleads.http.RateLimits;
import io.chatleads.http.ServerLimits;
import io.chatleads.lead.GetLeadsRoute;
import io.chatleads.lead.IdempotentLeadCreation;
import io.chatleads.webhook.SecretBox;
import io.chatleads.webhook.WebhookSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks, before anything opens, the settings that would otherwise fail later and less clearly. */
public final class Startup {

    private Startup() {
    }

    /**
     * Throws {@link Settings.SettingsException} with one line naming the first bad setting. Reads
     * every setting through the same method the server reads it with, so {@code config} and
     * {@code serve} refuse exactly what the server would, before a database is opened or created.
     */
    public static void validate(Settings settings) {
        ServerLimits.from(settings);
        RateLimits.perApiKey(settings);
        RateLimits.perWidgetClient(settings);
        RateLimits.trustForwardedFor(settings);
        Chatleads.cacheTtl(settings);
        Health.timeoutMillis(settings);
        IdempotentLeadCreation.keyLifetime(settings);
        WebhookSettings.from(settings);
        SecretBox.from(settings);
        BenchRoutes.enabled(settings);
        GetLeadsRoute.publicUrl(settings);
        settings.choice("CHATLEADS_LOG_FORMAT", "text", "text", "json");
        if (!settings.string("CHATLEADS_MANAGEMENT_PORT", "").isEmpty()) {
            int management = settings.integer("CHATLEADS_MANAGEMENT_PORT", 0, 0, 65535);
            if (management != 0 && management == settings.port()) {
                throw new Settings.SettingsException("CHATLEADS_MANAGEMENT_PORT must differ from the public port " + settings.port());
            }
        }
    }

    /** {@link #validate} plus the ports: what {@code serve} checks before it opens anything. */
    public static void validateForServe(Settings settings) {
        validate(settings);
        requireFreePort("port", settings.port());
        if (!settings.string("CHATLEADS_MANAGEMENT_PORT", "").isEmpty()) {
            requireFreePort("CHATLEADS_MANAGEMENT_PORT", settings.integer("CHATLEADS_MANAGEMENT_PORT", 0, 0, 65535));
        }
    }

    /**
     * Fails with one line when {@code port} cannot be bound. Checked before Jetty tries, because
     * Javalin logs its own multi-line error when binding fails; the race with another process taking
     * the port in between only brings that noisier message back.
     */
    public static void requireFreePort(String what, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new Settings.SettingsException(what + " " + port + " is already in use (" + e.getMessage() + ")");
        }
    }
}
