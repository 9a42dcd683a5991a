package io.chatleads.http;

import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.ApiKeyAuthenticator;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code Authorization: Bearer <secret>} (scheme case-insensitive) and answers 401 for anything else. */
public final class BearerAuth {

    private static final Pattern BEARER = Pattern.compile("(?i)bearer +([A-Za-z0-9._~+/=-]+) *");

    private final ApiKeyAuthenticator authenticator;
    private final RateLimiter perKey;

    public BearerAuth(ApiKeyAuthenticator authenticator) {
        this(authenticator, new RateLimiter(0, java.time.Duration.ofSeconds(1), java.time.Clock.systemUTC()));
    }

    /** Every authenticated call, whatever the route, counts against its key's limit. */
    public BearerAuth(ApiKeyAuthenticator authenticator, RateLimiter perKey) {
        this.authenticator = authenticator;
        this.perKey = perKey;
    }

    public ApiKey require(RoutingContext ctx) {
        ApiKey key = authenticator.authenticate(secret(ctx))
                .orElseThrow(() -> ApiException.unauthorized("invalid or revoked API key"));
        limit(ctx, key);
        return key;
    }

    /**
     * {@link #require} for an event loop, which must not wait on the database: null when the key
     * is not in the cache, and the request must go to a worker thread that calls {@link #require}.
     */
    public ApiKey requireFromCache(RoutingContext ctx) {
        Optional<ApiKey> cached = authenticator.authenticateFromCache(secret(ctx));
        if (cached == null) {
            return null;
        }
        ApiKey key = cached.orElseThrow(() -> ApiException.unauthorized("invalid or revoked API key"));
        limit(ctx, key);
        return key;
    }

    /**
     * Reads the key into the cache, without counting a request against its limit: a worker thread
     * does this for an event loop, which then calls {@link #requireFromCache}. 401 as {@link #require}.
     */
    public void load(RoutingContext ctx) {
        authenticator.authenticate(secret(ctx)).orElseThrow(() -> ApiException.unauthorized("invalid or revoked API key"));
    }

    private static String secret(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || header.isBlank()) {
            throw ApiException.unauthorized("missing Authorization header; send 'Authorization: Bearer <secret key>'");
        }
        Matcher matcher = BEARER.matcher(header);
        if (!matcher.matches()) {
            throw ApiException.unauthorized("malformed Authorization header; expected 'Bearer <secret key>'");
        }
        return matcher.group(1);
    }

    private void limit(RoutingContext ctx, ApiKey key) {
        if (perKey.enabled()) {
            RateLimiter.Decision decision = perKey.acquire(key.id());
            decision.headers().forEach(ctx.response()::putHeader);
            decision.check("API key " + key.prefix() + "…");
        }
    }
}
