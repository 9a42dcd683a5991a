package io.chatleads.http;

import io.chatleads.Settings;
import io.netty.util.NetUtil;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

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

    /**
     * Where the limits are shared between servers, from {@code CHATLEADS_REDIS_URL}: a Redis that
     * every server on one PostgreSQL reaches, the key prefix there, and the share of a limit a
     * server leases at a time.
     */
    public record Shared(String redisUrl, String keyPrefix, int leasePercent) {
    }

    /**
     * The shared limits' settings, or null without {@code CHATLEADS_REDIS_URL} (each server counts
     * alone, as always). Refused on SQLite, which has one server per file: nothing to share.
     */
    public static Shared shared(Settings settings) {
        String url = settings.string("CHATLEADS_REDIS_URL", "");
        String keyPrefix = settings.string("CHATLEADS_REDIS_KEY_PREFIX", "chatleads:ratelimit:");
        int leasePercent = settings.integer("CHATLEADS_REDIS_LEASE_PERCENT", 10, 1, 100);
        if (url.isEmpty()) {
            return null;
        }
        if (settings.dbUrl().startsWith("jdbc:sqlite:")) {
            throw new Settings.SettingsException("CHATLEADS_REDIS_URL shares rate limits between servers on one PostgreSQL;"
                    + " with SQLite there is one server and its own limits apply: unset it");
        }
        try {
            RedisBuckets.parse(url);
        } catch (IllegalArgumentException e) {
            // The URL may carry a password: only its scheme and host part are worth naming, so none of it is shown.
            throw new Settings.SettingsException("CHATLEADS_REDIS_URL must be redis://[:PASSWORD@]HOST[:PORT][/DB]"
                    + " (or rediss://): " + e.getMessage());
        }
        return new Shared(url, keyPrefix, leasePercent);
    }

    /** Whether X-Forwarded-For names the client: only behind a reverse proxy that sets it. */
    public static boolean trustForwardedFor(Settings settings) {
        return settings.bool("CHATLEADS_TRUST_X_FORWARDED_FOR", false);
    }

    /**
     * What a widget client is counted by: an IPv4 address as it is; an IPv6 address by its /64
     * network ({@code 2001:db8:1:2::/64}), because that prefix is what one subscriber gets and every
     * address inside it is theirs to use, so counting full addresses would let one client step
     * around the limit by changing address. An IPv4 address written as IPv6 ({@code ::ffff:192.0.2.1})
     * counts as that IPv4 address. Anything that is not an address literal (a proxy's odd
     * X-Forwarded-For) is counted as it is, and never looked up.
     */
    public static String network(String address) {
        String literal = address.strip();
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            return address.strip();
        }
        if (bytes.length == 4) {
            return NetUtil.bytesToIpAddress(bytes);
        }
        boolean mappedIpv4 = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
        for (int i = 0; i < 10 && mappedIpv4; i++) {
            mappedIpv4 = bytes[i] == 0;
        }
        if (mappedIpv4) {
            return NetUtil.bytesToIpAddress(bytes, 12, 4);
        }
        byte[] prefix = Arrays.copyOf(Arrays.copyOf(bytes, 8), 16);
        return NetUtil.bytesToIpAddress(prefix) + "/64";
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
