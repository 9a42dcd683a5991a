package io.chatleads.http;

import io.chatleads.Settings;

import java.time.Clock;
import java.time.Duration;

/** The two configured limits; see docs "Rate limits". A limit of 0 switches it off. */
public final class RateLimits {

    private RateLimits() {
    }

    /** Every authenticated API call, per key: default 100 per 10 seconds. */
    public static RateLimiter perApiKey(Settings settings) {
        return new RateLimiter(
                settings.integer("CHATLEADS_API_RATE_LIMIT", 100, 0, 1_000_000),
                Duration.ofSeconds(settings.integer("CHATLEADS_API_RATE_WINDOW_SECONDS", 10, 1, 86_400)),
                Clock.systemUTC());
    }

    /** Widget submissions, per client IP and chatbot: default 10 a minute. */
    public static RateLimiter perWidgetClient(Settings settings) {
        return new RateLimiter(
                settings.integer("CHATLEADS_WIDGET_RATE_LIMIT", 10, 0, 1_000_000),
                Duration.ofSeconds(settings.integer("CHATLEADS_WIDGET_RATE_WINDOW_SECONDS", 60, 1, 86_400)),
                Clock.systemUTC());
    }

    /** Whether X-Forwarded-For names the client: only behind a reverse proxy that sets it. */
    public static boolean trustForwardedFor(Settings settings) {
        return settings.bool("CHATLEADS_TRUST_X_FORWARDED_FOR", false);
    }

    /**
     * The client's address: the connection's peer, or, behind a trusted reverse proxy, the last
     * X-Forwarded-For entry (the one that proxy appended; earlier ones are the client's say-so).
     */
    public static String clientIp(io.vertx.ext.web.RoutingContext ctx, boolean trustForwardedFor) {
        if (trustForwardedFor) {
            String forwarded = ctx.request().getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                String[] hops = forwarded.split(",");
                return hops[hops.length - 1].strip();
            }
        }
        return ctx.request().remoteAddress().hostAddress();
    }
}
