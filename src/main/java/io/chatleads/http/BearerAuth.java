package io.chatleads.http;

import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.ApiKeyAuthenticator;
import io.javalin.http.Context;

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

    public ApiKey require(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw ApiException.unauthorized("missing Authorization header; send 'Authorization: Bearer <secret key>'");
        }
        Matcher matcher = BEARER.matcher(header);
        if (!matcher.matches()) {
            throw ApiException.unauthorized("malformed Authorization header; expected 'Bearer <secret key>'");
        }
        ApiKey key = authenticator.authenticate(matcher.group(1))
                .orElseThrow(() -> ApiException.unauthorized("invalid or revoked API key"));
        if (perKey.enabled()) {
            RateLimiter.Decision decision = perKey.acquire(key.id());
            decision.headers().forEach(ctx::header);
            decision.check("API key " + key.prefix() + "…");
        }
        return key;
    }
}
