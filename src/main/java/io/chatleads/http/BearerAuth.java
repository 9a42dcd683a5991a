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

    public BearerAuth(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
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
        return authenticator.authenticate(matcher.group(1))
                .orElseThrow(() -> ApiException.unauthorized("invalid or revoked API key"));
    }
}
