package io.chatleads.http;

import io.chatleads.error.InvalidInput;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

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
        // the query string's escapes were checked before routing (RequestTarget)
        String raw = RequestBodies.of(ctx).toString(java.nio.charset.StandardCharsets.UTF_8);
        if (raw.isBlank()) {
            return new RequestParams(ctx, null);
        }
        if (JsonBody.isFormOrMultipart(ctx)) {
            throw JsonBody.notJson(ctx);
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
