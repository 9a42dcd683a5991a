package io.chatleads.webhook;

import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.error.Conflict;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.apikey.ApiKey;
import io.chatleads.apikey.BearerAuth;
import io.chatleads.error.NotFound;
import io.chatleads.http.JsonBody;
import io.chatleads.http.RequestParams;
import io.chatleads.webhook.WebhookRepository.RetryResult;
import io.chatleads.http.Responses;
import io.chatleads.http.Routes;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.regex.Pattern;

/** The owner's webhook API, all behind the bearer key; see docs/webhooks.md. */
public final class WebhookRoutes {

    public static final String PATH = "/api/v1/webhooks";
    static final int DEFAULT_DELIVERIES = 20;
    static final int MAX_DELIVERIES = 100;
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern DIGITS = Pattern.compile("\\d{1,4}");

    private final BearerAuth auth;
    private final WebhookRegistration registration;
    private final WebhookRepository webhooks;
    private final ObjectMapper json;
    private final long secretGraceMillis;

    public WebhookRoutes(BearerAuth auth, WebhookRegistration registration, WebhookRepository webhooks, ObjectMapper json,
                         WebhookSettings settings) {
        this.auth = auth;
        this.registration = registration;
        this.webhooks = webhooks;
        this.json = json;
        this.secretGraceMillis = settings.secretGraceMillis();
    }

    public void register(Routes routes) {
        routes.post(PATH, this::create);
        routes.get(PATH, this::list);
        routes.delete(PATH + "/{webhookId}", this::delete);
        routes.get(PATH + "/{webhookId}/deliveries", this::deliveries);
        routes.post(PATH + "/{webhookId}/deliveries/{deliveryId}/retry", this::retry);
        routes.post(PATH + "/{webhookId}/rotate-secret", this::rotateSecret);
    }

    private void create(RoutingContext ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        // The same body rules as every other JSON route: 415 for another Content-Type, 413 past the limit.
        JsonBody body = JsonBody.read(ctx, json, MAX_BODY_BYTES);
        String endpoint = body.text("endpoint");
        if (endpoint == null) {
            throw new InvalidInput("endpoint is required");
        }
        CreatedWebhook created = registration.register(key.ownerId(), body.text("chatbotId"), endpoint,
                body.textList("events").orElse(null));
        respond(ctx, 201, WebhookJson.created(created));
    }

    private void list(RoutingContext ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        respond(ctx, 200, Map.of("data", webhooks.listByOwner(key.ownerId()).stream().map(WebhookJson::webhook).toList()));
    }

    private void delete(RoutingContext ctx) {
        ApiKey key = auth.require(ctx);
        Webhook webhook = registration.requireOwned(ctx.pathParam("webhookId"), key.ownerId());
        webhooks.delete(webhook.id());
        Responses.empty(ctx, 204);
    }

    private void deliveries(RoutingContext ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        Webhook webhook = registration.requireOwned(ctx.pathParam("webhookId"), key.ownerId());
        int limit = DEFAULT_DELIVERIES;
        // As get-leads reads its parameters: "limit" twice is a 400, not the first one silently.
        String raw = RequestParams.of(ctx, json).get("limit").orElse(null);
        if (raw != null) {
            limit = DIGITS.matcher(raw).matches() ? Integer.parseInt(raw) : -1;
            if (limit < 1 || limit > MAX_DELIVERIES) {
                throw new InvalidInput("limit must be an integer from 1 to " + MAX_DELIVERIES + ", got '" + raw + "'");
            }
        }
        respond(ctx, 200, Map.of("data", webhooks.recentDeliveries(webhook.id(), limit).stream()
                .map(WebhookJson::delivery).toList()));
    }

    private void retry(RoutingContext ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        Webhook webhook = registration.requireOwned(ctx.pathParam("webhookId"), key.ownerId());
        String deliveryId = ctx.pathParam("deliveryId");
        RetryResult result = webhooks.retry(webhook.id(), deliveryId);
        if (result == RetryResult.NOT_FOUND) {
            throw new NotFound("delivery '" + deliveryId + "' not found");
        }
        if (result == RetryResult.IN_FLIGHT) {
            throw new Conflict("delivery '" + deliveryId + "' has an attempt in progress; retry after it ends");
        }
        Delivery delivery = webhooks.findDelivery(webhook.id(), deliveryId)
                .orElseThrow(() -> new NotFound("delivery '" + deliveryId + "' not found"));
        respond(ctx, 202, WebhookJson.delivery(delivery));
    }

    /**
     * A new signing secret, shown in this answer only; the old one signs beside it until
     * {@code previousSecretExpiresAt}. No request body is read.
     */
    private void rotateSecret(RoutingContext ctx) throws JsonProcessingException {
        ApiKey key = auth.require(ctx);
        RotatedSecret rotated = registration.rotateSecret(ctx.pathParam("webhookId"), key.ownerId(), secretGraceMillis);
        respond(ctx, 200, WebhookJson.rotated(rotated));
    }

    private void respond(RoutingContext ctx, int status, Object body) throws JsonProcessingException {
        Responses.json(ctx, status, json.writeValueAsBytes(body));
    }
}
