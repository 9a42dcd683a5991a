package io.chatleads.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.apikey.ApiKey;
import io.chatleads.http.ApiException;
import io.chatleads.http.BearerAuth;
import io.chatleads.http.StorableText;
import io.chatleads.webhook.WebhookRepository.RetryResult;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The owner's webhook API, all behind the bearer key; see docs/webhooks.md. */
public final class WebhookRoutes {

    public static final String PATH = "/api/v1/webhooks";
    static final int DEFAULT_DELIVERIES = 20;
    static final int MAX_DELIVERIES = 100;
    private static final Pattern DIGITS = Pattern.compile("\\d{1,4}");

    private final BearerAuth auth;
    private final WebhookRegistration registration;
    private final WebhookRepository webhooks;
    private final ObjectMapper json;

    public WebhookRoutes(BearerAuth auth, WebhookRegistration registration, WebhookRepository webhooks, ObjectMapper json) {
        this.auth = auth;
        this.registration = registration;
        this.webhooks = webhooks;
        this.json = json;
    }

    public void register(RoutesConfig routes) {
        routes.post(PATH, this::create);
        routes.get(PATH, this::list);
        routes.delete(PATH + "/{webhookId}", this::delete);
        routes.get(PATH + "/{webhookId}/deliveries", this::deliveries);
        routes.post(PATH + "/{webhookId}/deliveries/{deliveryId}/retry", this::retry);
    }

    private void create(Context ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        JsonNode body = jsonObject(ctx);
        String endpoint = optionalText(body, "endpoint");
        if (endpoint == null) {
            throw ApiException.badRequest("endpoint is required");
        }
        CreatedWebhook created = registration.register(key.ownerId(), optionalText(body, "chatbotId"), endpoint,
                events(body));
        respond(ctx, 201, WebhookJson.created(created));
    }

    private void list(Context ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        respond(ctx, 200, Map.of("data", webhooks.listByOwner(key.ownerId()).stream().map(WebhookJson::webhook).toList()));
    }

    private void delete(Context ctx) {
        ApiKey key = auth.require(ctx);
        Webhook webhook = registration.requireOwned(ctx.pathParam("webhookId"), key.ownerId());
        webhooks.delete(webhook.id());
        ctx.status(204);
    }

    private void deliveries(Context ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        Webhook webhook = registration.requireOwned(ctx.pathParam("webhookId"), key.ownerId());
        int limit = DEFAULT_DELIVERIES;
        String raw = ctx.queryParam("limit");
        if (raw != null) {
            limit = DIGITS.matcher(raw).matches() ? Integer.parseInt(raw) : -1;
            if (limit < 1 || limit > MAX_DELIVERIES) {
                throw ApiException.badRequest("limit must be an integer from 1 to " + MAX_DELIVERIES + ", got '" + raw + "'");
            }
        }
        respond(ctx, 200, Map.of("data", webhooks.recentDeliveries(webhook.id(), limit).stream()
                .map(WebhookJson::delivery).toList()));
    }

    private void retry(Context ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        Webhook webhook = registration.requireOwned(ctx.pathParam("webhookId"), key.ownerId());
        String deliveryId = ctx.pathParam("deliveryId");
        RetryResult result = webhooks.retry(webhook.id(), deliveryId);
        if (result == RetryResult.NOT_FOUND) {
            throw ApiException.notFound("delivery '" + deliveryId + "' not found");
        }
        if (result == RetryResult.IN_FLIGHT) {
            throw new ApiException(409, "delivery '" + deliveryId + "' has an attempt in progress; retry after it ends");
        }
        Delivery delivery = webhooks.findDelivery(webhook.id(), deliveryId)
                .orElseThrow(() -> ApiException.notFound("delivery '" + deliveryId + "' not found"));
        respond(ctx, 202, WebhookJson.delivery(delivery));
    }

    private JsonNode jsonObject(Context ctx) {
        JsonNode body;
        try {
            body = json.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("request body must be a JSON object: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        return body;
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(field + " must be a string");
        }
        return StorableText.require(field, value.textValue());
    }

    private static List<String> events(JsonNode body) {
        JsonNode value = body.get("events");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw ApiException.badRequest("events must be an array of event types, such as [\"leads.submit\"]");
        }
        List<String> events = new ArrayList<>();
        for (JsonNode event : value) {
            if (!event.isTextual()) {
                throw ApiException.badRequest("events must contain only strings");
            }
            events.add(StorableText.require("events", event.textValue()));
        }
        return events;
    }

    private void respond(Context ctx, int status, Object body) throws JsonProcessingException {
        ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
    }
}
