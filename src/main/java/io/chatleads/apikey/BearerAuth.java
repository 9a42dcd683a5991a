package io.chatleads.apikey;

import io.chatleads.error.Unauthenticated;
import io.chatleads.http.RateLimit;
import io.chatleads.http.Routes;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Reads {@code Authorization: Bearer <secret>} (scheme case-insensitive) and answers 401 for anything else. */
public final class BearerAuth {

    private final ApiKeyAuthenticator authenticator;
    private final RateLimit perKey;

    /** Every authenticated call, whatever the route, counts against its key's limit. */
    public BearerAuth(ApiKeyAuthenticator authenticator, RateLimit perKey) {
        this.authenticator = authenticator;
        this.perKey = perKey;
    }

    /**
     * The caller's live key, its call counted against the key's limit; fails with 401 or 429. Done
     * at once on a cache hit and a limit this server decides; on an event loop, a miss (or a
     * shared limit's lease) completes back on that loop once a worker has read the key, or Redis
     * has answered ({@link Routes#resume}).
     */
    public Future<ApiKey> authenticate(RoutingContext ctx) {
        return authenticate(ctx, null);
    }

    /**
     * {@link #authenticate(RoutingContext)}, a key the cache does not hold read through {@code keys}
     * (the key of a secret's hash, revoked or not, or null: {@link ApiKeyRepository#readByHash} on
     * the event loop's own connection) instead of JDBC on a worker; null reads it through JDBC.
     */
    public Future<ApiKey> authenticate(RoutingContext ctx, Function<String, CompletionStage<ApiKey>> keys) {
        String secret;
        try {
            secret = secret(ctx);
        } catch (Unauthenticated e) {
            return Future.failedFuture(e);
        }
        return Routes.resume(authenticator.authenticate(secret, keys)).compose(key -> {
            if (key == null) {
                throw new Unauthenticated("invalid or revoked API key");
            }
            return limit(ctx, key);
        });
    }

    /** {@link #authenticate} on a worker thread, where it is done when it returns: the key, or the 401 or 429 thrown. */
    public ApiKey require(RoutingContext ctx) {
        return Routes.resultOf(authenticate(ctx));
    }

    private static String secret(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || header.isBlank()) {
            throw new Unauthenticated("missing Authorization header; send 'Authorization: Bearer <secret key>'");
        }
        String token = bearerToken(header);
        if (token == null) {
            throw new Unauthenticated("malformed Authorization header; expected 'Bearer <secret key>'");
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

    private Future<ApiKey> limit(RoutingContext ctx, ApiKey key) {
        if (!perKey.enabled()) {
            return Future.succeededFuture(key);
        }
        return Routes.resume(perKey.decide(key.id())).map(decision -> {
            decision.headers().forEach(ctx.response()::putHeader);
            decision.check("API key " + key.prefix() + "…", "CHATLEADS_API_RATE_LIMIT", "CHATLEADS_API_RATE_WINDOW_SECONDS");
            return key;
        });
    }
}
