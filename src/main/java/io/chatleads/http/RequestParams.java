package io.chatleads.http;

import io.chatleads.error.InvalidInput;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Parameters of a request that come from the query string or, because the hosted API documents
 * them as "request body parameters", from a JSON object body. The query string wins.
 */
public final class RequestParams {

    private final RoutingContext ctx;
    private final JsonNode body;

    private RequestParams(RoutingContext ctx, JsonNode body) {
        this.ctx = ctx;
        this.body = body;
    }

    public static RequestParams of(RoutingContext ctx, ObjectMapper json) {
        requireValidPercentEncoding(ctx.request().query());
        String raw = RequestBodies.of(ctx).toString(java.nio.charset.StandardCharsets.UTF_8);
        if (raw.isBlank()) {
            return new RequestParams(ctx, null);
        }
        JsonNode body;
        try {
            body = json.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new InvalidInput("request body must be a JSON object: " + e.getOriginalMessage());
        }
        if (!body.isObject()) {
            throw new InvalidInput("request body must be a JSON object");
        }
        return new RequestParams(ctx, body);
    }

    /**
     * The query decoder drops or refuses a parameter whose value is not valid percent-encoding ("%ZZ", a lone
     * "%"), so a malformed startDate would silently widen the range to everything: refused instead.
     */
    private static void requireValidPercentEncoding(String query) {
        if (query == null) {
            return;
        }
        for (String pair : query.split("&")) {
            for (int i = pair.indexOf('%'); i >= 0; i = pair.indexOf('%', i + 1)) {
                boolean escape = i + 2 < pair.length()
                        && HexFormat.isHexDigit(pair.charAt(i + 1)) && HexFormat.isHexDigit(pair.charAt(i + 2));
                if (!escape) {
                    int equals = pair.indexOf('=');
                    String name = equals < 0 ? pair : pair.substring(0, equals);
                    throw new InvalidInput(name + " is not validly percent-encoded: '" + pair.substring(equals + 1) + "'");
                }
            }
        }
    }

    /** The value of {@code name}, or empty when neither the query string nor the body names it. */
    public Optional<String> get(String name) {
        return given(name).map(value -> StorableText.require(name, value));
    }

    private Optional<String> given(String name) {
        List<String> values = ctx.queryParam(name);
        if (values.size() > 1) {
            throw new InvalidInput(name + " is given more than once");
        }
        if (values.size() == 1) {
            return Optional.of(values.get(0));
        }
        if (body == null || !body.has(name) || body.get(name).isNull()) {
            return Optional.empty();
        }
        JsonNode value = body.get(name);
        if (value.isTextual()) {
            return Optional.of(value.textValue());
        }
        if (value.isNumber()) {
            // Its text: the parameter's own rule then says what is wrong with 1.5 (not an integer).
            return Optional.of(value.asText());
        }
        throw new InvalidInput(name + " must be a string or a number");
    }
}
