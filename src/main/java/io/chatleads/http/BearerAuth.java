package io.chatleads.http;

import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.ApiKeyAuthenticator;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/** Reads {@code Authorization: Bearer <secret>} (scheme case-insensitive) and answers 401 for anything else. */
public final class BearerAuth {


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
        String token = bearerToken(header);
        if (token == null) {
            throw ApiException.unauthorized("malformed Authorization header; expected 'Bearer <secret key>'");
        }
        return token;
    }

    /**
     * The token of {@code Bearer <token>}: the scheme in any case, one or more spaces, the token's
     * characters (RFC 6750's b64token), trailing spaces allowed; null for anything else. By hand,
     * because this runs on every authenticated call and the regular expression it replaces was 2 %
     * of a get-leads page's samples.
     */
    static String bearerToken(String header) {
        int length = header.length();
        if (length < 8 || !header.regionMatches(true, 0, "bearer ", 0, 7)) {
            return null;
        }
        int start = 7;
        while (start < length && header.charAt(start) == ' ') {
            start++;
        }
        int end = start;
        while (end < length && isTokenChar(header.charAt(end))) {
            end++;
        }
        int trailing = end;
        while (trailing < length && header.charAt(trailing) == ' ') {
            trailing++;
        }
        return end > start && trailing == length ? header.substring(start, end) : null;
    }

    private static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' || c == '-';
    }

    private void limit(RoutingContext ctx, ApiKey key) {
        if (perKey.enabled()) {
            RateLimiter.Decision decision = perKey.acquire(key.id());
            decision.headers().forEach(ctx.response()::putHeader);
            decision.check("API key " + key.prefix() + "…");
        }
    }
}
