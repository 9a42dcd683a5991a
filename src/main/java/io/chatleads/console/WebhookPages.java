package io.chatleads.console;

import io.chatleads.chatbot.CaptureTarget;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotSettingsRepository;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.webhook.CreatedWebhook;
import io.chatleads.webhook.Delivery;
import io.chatleads.webhook.RotatedSecret;
import io.chatleads.webhook.Webhook;
import io.chatleads.webhook.WebhookRegistration;
import io.chatleads.webhook.WebhookRepository;
import io.chatleads.webhook.WebhookTestEvent;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Webhooks: add (the signing secret shown this once), list, delete, rotate the signing secret (the new one shown
 * this once); deliveries with attempts, retry, a test event.
 */
final class WebhookPages {

    static final int DELIVERIES_SHOWN = 20;

    private final WebhookRepository webhooks;
    private final WebhookRegistration registration;
    private final WebhookTestEvent testEvents;
    private final Owned owned;
    private final ChatbotSettingsRepository chatbots;
    private final long secretGraceMillis;

    /** @param secretGraceMillis how long a rotated-out secret goes on signing ({@code CHATLEADS_WEBHOOK_SECRET_GRACE_HOURS}) */
    WebhookPages(WebhookRepository webhooks, WebhookRegistration registration, WebhookTestEvent testEvents, Owned owned,
                 ChatbotSettingsRepository chatbots, long secretGraceMillis) {
        this.secretGraceMillis = secretGraceMillis;
        this.webhooks = webhooks;
        this.registration = registration;
        this.testEvents = testEvents;
        this.owned = owned;
        this.chatbots = chatbots;
    }

    private List<Chatbot> mine(ConsoleRequest request) {
        return chatbots.listByOwner(request.ownerId()).stream().map(CaptureTarget::chatbot).toList();
    }

    void list(ConsoleRequest request) {
        show(request, 200, Form.empty(), null);
    }

    private void show(ConsoleRequest request, int status, Form form, CreatedWebhook created) {
        ZoneId zone = ZoneId.of(request.session().timeZone());
        List<Chatbot> mine = mine(request);
        Map<String, String> names = mine.stream().collect(Collectors.toMap(Chatbot::id, Chatbot::name));
        List<Views.WebhookRow> rows = webhooks.listByOwner(request.ownerId()).stream()
                .map(w -> row(w, names, zone)).toList();
        request.render(status, "webhooks.jte", View.of(request.session(), "Webhooks", "webhooks", Notices.text(request.query("notice"))),
                new Views.Webhooks(rows, owned.rows(mine, zone), form,
                        created == null ? null : created.secret(), created == null ? null : created.webhook().endpoint()));
    }

    private static Views.WebhookRow row(Webhook webhook, Map<String, String> names, ZoneId zone) {
        String scope = webhook.chatbotId() == null ? "All chatbots" : names.getOrDefault(webhook.chatbotId(), webhook.chatbotId());
        return new Views.WebhookRow(webhook.id(), webhook.endpoint(), scope, Owned.local(webhook.createdAt(), zone));
    }

    /** The API's registration rules (endpoint policy, the chatbot must be the owner's), with its messages. */
    void create(ConsoleRequest request) {
        String endpoint = request.field("endpoint");
        String chatbotId = request.field("chatbotId");
        Form form = Form.empty().with("endpoint", endpoint).with("chatbotId", chatbotId);
        if (endpoint.isBlank()) {
            show(request, 400, form.error("endpoint", "endpoint is required"), null);
            return;
        }
        try {
            CreatedWebhook created = registration.register(request.ownerId(), chatbotId.isEmpty() ? null : chatbotId,
                    endpoint.strip(), null);
            show(request, 201, Form.empty(), created);
        } catch (InvalidInput | NotFound e) {
            // The chatbot named in the form is not found (or not this owner's): said next to that field.
            boolean chatbot = e instanceof NotFound;
            show(request, 400, form.error(chatbot ? "chatbotId" : "endpoint", e.getMessage()), null);
        }
    }

    private Webhook ownedWebhook(ConsoleRequest request) {
        String id = request.path("webhookId");
        return webhooks.findOwned(id, request.ownerId()).orElseThrow(() -> new NotFound("webhook " + id));
    }

    void show(ConsoleRequest request) {
        showWebhook(request, ownedWebhook(request), null);
    }

    /** {@code rotated}: the secret "Rotate secret" just made, drawn in this answer only; null on any other view. */
    private void showWebhook(ConsoleRequest request, Webhook webhook, RotatedSecret rotated) {
        ZoneId zone = ZoneId.of(request.session().timeZone());
        Map<String, String> names = mine(request).stream().collect(Collectors.toMap(Chatbot::id, Chatbot::name, (a, b) -> a));
        List<Views.DeliveryRow> deliveries = webhooks.recentDeliveries(webhook.id(), DELIVERIES_SHOWN).stream()
                .map(d -> delivery(d, zone)).toList();
        request.render("webhook.jte", View.of(request.session(), "Webhook", "webhooks", Notices.text(request.query("notice"))),
                new Views.WebhookPage(row(webhook, names, zone), deliveries, rotated == null ? null
                        : new Views.Rotated(rotated.secret(), rotated.previousSecretExpiresAt() == null ? null
                                : Owned.local(rotated.previousSecretExpiresAt(), zone) + " (" + zone.getId() + ")",
                                Owned.utc(rotated.previousSecretExpiresAt())),
                        (int) (secretGraceMillis / 3_600_000L)));
    }

    /**
     * What POST /api/v1/webhooks/{id}/rotate-secret does, through the same code: a new secret,
     * the old one signing beside it for the grace period. Like a new key's, the secret is drawn in
     * the answer to this POST, never put in a URL or stored in the clear.
     */
    void rotateSecret(ConsoleRequest request) {
        RotatedSecret rotated = registration.rotateSecret(request.path("webhookId"), request.ownerId(), secretGraceMillis);
        showWebhook(request, rotated.webhook(), rotated);
    }

    private static Views.DeliveryRow delivery(Delivery d, ZoneId zone) {
        List<Views.AttemptRow> attempts = d.attemptLog().stream()
                .map(a -> new Views.AttemptRow(a.attempt(), Owned.local(a.startedAt(), zone), a.durationMillis(),
                        a.statusCode() != null ? "HTTP " + a.statusCode() + (a.error() == null ? "" : ": " + a.error())
                                : String.valueOf(a.error())))
                .toList();
        return new Views.DeliveryRow(d.id(), d.eventType(), d.status().name().toLowerCase(Locale.ROOT), d.attempts(),
                Owned.local(d.createdAt(), zone), d.nextAttemptAt() == null ? null : Owned.local(d.nextAttemptAt(), zone),
                d.lastError(), WebhookTestEvent.isTest(d.id()), d.status() != Delivery.Status.PENDING, attempts);
    }

    void delete(ConsoleRequest request) {
        Webhook webhook = ownedWebhook(request);
        webhooks.delete(webhook.id());
        request.redirect("/console/webhooks?notice=webhook-deleted");
    }

    /** A sample leads.submit, named after the webhook's chatbot (or the owner's first one), marked as a test. */
    void sendTest(ConsoleRequest request) {
        Webhook webhook = ownedWebhook(request);
        String chatbotId = webhook.chatbotId() != null ? webhook.chatbotId()
                : mine(request).stream().map(Chatbot::id).findFirst().orElse("test-chatbot");
        testEvents.send(webhook, chatbotId);
        request.redirect("/console/webhooks/" + webhook.id() + "?notice=test-sent");
    }

    void retry(ConsoleRequest request) {
        Webhook webhook = ownedWebhook(request);
        String deliveryId = request.path("deliveryId");
        WebhookRepository.RetryResult result = webhooks.retry(webhook.id(), deliveryId);
        if (result == WebhookRepository.RetryResult.NOT_FOUND) {
            throw new NotFound("delivery " + deliveryId);
        }
        if (result == WebhookRepository.RetryResult.IN_FLIGHT) {
            throw new InvalidInput("This delivery has an attempt in progress; retry after it ends.");
        }
        request.redirect("/console/webhooks/" + webhook.id() + "?notice=retried");
    }
}
