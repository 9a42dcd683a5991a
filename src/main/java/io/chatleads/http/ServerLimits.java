package io.chatleads.http;

import io.chatleads.Settings;

/** The hardening limits of the HTTP server, read from settings (see Settings' definitions). */
public record ServerLimits(
        int idleTimeoutSeconds,
        int maxHeaderBytes,
        int maxBodyBytes,
        int shutdownTimeoutSeconds) {

    public static ServerLimits from(Settings settings) {
        return new ServerLimits(
                settings.integer("CHATLEADS_HTTP_IDLE_TIMEOUT_SECONDS", 30, 1, 3600),
                settings.integer("CHATLEADS_HTTP_MAX_HEADER_BYTES", 16 * 1024, 1024, 1024 * 1024),
                settings.integer("CHATLEADS_HTTP_MAX_BODY_BYTES", 1024 * 1024, 1024, 100 * 1024 * 1024),
                settings.integer("CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS", 20, 0, 3600));
    }
}
