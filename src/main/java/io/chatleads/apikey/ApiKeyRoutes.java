package io.chatleads.apikey;

import io.chatleads.Settings.ResponseEnvelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.http.JsonBody;
import io.chatleads.http.Responses;
import io.chatleads.http.Routes;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The owner's API keys through the API: {@code GET /api/v1/api-keys} (never a secret),
 * {@code POST /api/v1/api-keys} (the secret, this once), {@code DELETE /api/v1/api-keys/{id}}
 * (revokes; another owner's key answers like a missing one).
 */
public final class ApiKeyRoutes {

    public static final String PATH = "/api/v1/api-keys";
    private static final int MAX_BODY_BYTES = 16 * 1024;
    // As get-leads writes created_at (LeadJson), without importing lead, which imports this package.
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final BearerAuth auth;
    private final ApiKeyRepository keys;
    private final ObjectMapper json;

    public ApiKeyRoutes(BearerAuth auth, ApiKeyRepository keys, ObjectMapper json) {
        this.auth = auth;
        this.keys = keys;
        this.json = json;
    }

    public void register(Routes routes) {
        routes.get(PATH, this::list);
        routes.post(PATH, this::create);
        routes.delete(PATH + "/{id}", this::revoke);
    }

    private void list(RoutingContext ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        Responses.json(ctx, 200, json.writeValueAsBytes(Map.of("data",
                keys.listByOwner(key.ownerId()).stream().map(this::toJson).toList())));
    }

    private void create(RoutingContext ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        JsonBody body = JsonBody.read(ctx, json, MAX_BODY_BYTES);
        if (!body.has("name")) {
            throw new InvalidInput("name is required");
        }
        String name = ApiKeyNames.require("name", body.text("name"));
        ResponseEnvelope envelope = null;
        if (body.has("responseEnvelope") && body.text("responseEnvelope") != null) {
            String shape = body.text("responseEnvelope");
            envelope = ResponseEnvelope.named(shape).orElseThrow(() -> new InvalidInput(
                    "responseEnvelope must be " + ResponseEnvelope.names() + " (or absent for the server's default), got '"
                            + shape + "'"));
        }
        ApiKeyRepository.CreatedKey created = keys.create(key.ownerId(), name, envelope);
        ObjectNode answer = toJson(created.key());
        answer.put("secret", created.secret());
        Responses.json(ctx, 201, json.writeValueAsBytes(answer));
    }

    private void revoke(RoutingContext ctx) {
        ApiKey caller = auth.require(ctx);
        String id = ctx.pathParam("id");
        keys.find(id).filter(k -> k.ownerId().equals(caller.ownerId()))
                .orElseThrow(() -> new NotFound("API key '" + id + "' not found"));
        keys.revoke(id);
        Responses.empty(ctx, 204);
    }

    private ObjectNode toJson(ApiKey key) {
        ObjectNode node = json.createObjectNode();
        node.put("id", key.id());
        node.put("name", key.name());
        node.put("prefix", key.prefix());
        node.put("createdAt", time(key.createdAt()));
        node.put("lastUsedAt", time(key.lastUsedAt()));
        node.put("revokedAt", time(key.revokedAt()));
        node.put("responseEnvelope", key.responseEnvelope() == null ? null : key.responseEnvelope().value());
        return node;
    }

    private static String time(Instant instant) {
        return instant == null ? null : INSTANT.format(instant);
    }
}
