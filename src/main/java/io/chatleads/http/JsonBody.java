package io.chatleads.http;

import io.chatleads.error.InvalidInput;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * A request body that must be a JSON object: 415 for another content type, 413 past the size
 * limit (checked while reading, so a lying or absent Content-Length changes nothing), 400 when it
 * does not parse. Field accessors name the field in their 400s.
 */
public final class JsonBody {

    private final ObjectNode body;

    private JsonBody(ObjectNode body) {
        this.body = body;
    }

    public static JsonBody read(RoutingContext ctx, ObjectMapper json, int maxBytes) {
        if (!mediaType(ctx).equals("application/json")) {
            throw notJson(ctx);
        }
        // The router's body handler has read it already, refusing anything over the server's limit;
        // this route's own limit is smaller.
        byte[] bytes = RequestBodies.of(ctx).getBytes();
        if (bytes.length > maxBytes) {
            throw new ApiException(413, "request body must be at most " + maxBytes + " bytes (CHATLEADS_HTTP_MAX_BODY_BYTES)");
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidInput("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInput("cannot read the request body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidInput("request body must be a JSON object");
        }
        return new JsonBody((ObjectNode) node);
    }

    /** The request's media type, lower case without parameters; "" without a Content-Type. */
    static String mediaType(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        return contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    /** Whether the body says it is a form, which a route taking JSON refuses rather than misreads. */
    static boolean isFormOrMultipart(RoutingContext ctx) {
        String type = mediaType(ctx);
        return type.equals(FormBody.MEDIA_TYPE) || type.startsWith("multipart/");
    }

    /** The 415 of a route that takes JSON, naming the type it got. */
    static ApiException notJson(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        return new ApiException(415, "Content-Type must be application/json, got '"
                + (contentType == null ? "" : RequestFraming.shown(contentType)) + "'");
    }

    /** The whole object, for a body whose members are not known in advance. */
    public ObjectNode object() {
        return body;
    }

    public boolean has(String field) {
        return body.hasNonNull(field);
    }

    /** Whether the field is there at all, JSON null included (null can mean "clear"). */
    public boolean present(String field) {
        return body.has(field);
    }

    /** The field's text; null when absent or JSON null; 400 when it is not a string. */
    public String text(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInput(field + " must be a string");
        }
        return StorableText.require(field, value.textValue());
    }

    public Optional<Boolean> bool(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw new InvalidInput(field + " must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    /** A list of strings; empty when absent. */
    public Optional<java.util.List<String>> textList(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw new InvalidInput(field + " must be an array of strings");
        }
        java.util.List<String> items = new java.util.ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new InvalidInput(field + " must be an array of strings");
            }
            items.add(StorableText.require(field, item.textValue()));
        }
        return Optional.of(items);
    }
}
