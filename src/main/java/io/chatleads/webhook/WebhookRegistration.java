package io.chatleads.webhook;

import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.webhook.EndpointPolicy.EndpointRefused;

import java.util.ArrayList;
import java.util.List;

/** The rules for registering a webhook, the same for the HTTP API and the command line. */
public final class WebhookRegistration {

    private final ChatbotRepository chatbots;
    private final WebhookRepository webhooks;
    private final EndpointPolicy policy;

    public WebhookRegistration(ChatbotRepository chatbots, WebhookRepository webhooks, EndpointPolicy policy) {
        this.chatbots = chatbots;
        this.webhooks = webhooks;
        this.policy = policy;
    }

    /**
     * Registers an endpoint for {@code ownerId}; {@code chatbotId} null for all their chatbots,
     * {@code events} null for all event types. 400 for a bad field, naming it; 404 for a chatbot
     * that is missing or someone else's.
     */
    public CreatedWebhook register(String ownerId, String chatbotId, String endpoint, List<String> events) {
        List<String> eventTypes = eventTypes(events);
        String checkedEndpoint;
        try {
            checkedEndpoint = policy.check(endpoint).toString();
        } catch (EndpointRefused e) {
            throw new InvalidInput(e.getMessage());
        }
        if (chatbotId != null) {
            chatbots.findOwned(chatbotId, ownerId)
                    .orElseThrow(() -> new NotFound("chatbot '" + chatbotId + "' not found"));
        }
        return webhooks.create(ownerId, chatbotId, checkedEndpoint, eventTypes);
    }

    /** The owner's webhook, or 404 whether it is missing or another owner's. */
    public Webhook requireOwned(String webhookId, String ownerId) {
        return webhooks.findOwned(webhookId, ownerId)
                .orElseThrow(() -> new NotFound("webhook '" + webhookId + "' not found"));
    }

    /**
     * A new signing secret for the owner's webhook, shown once; the old one signs beside it for
     * {@code graceMillis}. 404 whether the webhook is missing or another owner's. The API's
     * rotate-secret and the console's button both come here.
     */
    public RotatedSecret rotateSecret(String webhookId, String ownerId, long graceMillis) {
        Webhook webhook = requireOwned(webhookId, ownerId);
        return webhooks.rotateSecret(webhook.id(), graceMillis)
                // deleted between the two statements
                .orElseThrow(() -> new NotFound("webhook '" + webhook.id() + "' not found"));
    }

    private static List<String> eventTypes(List<String> events) {
        if (events == null) {
            return WebhookRepository.EVENT_TYPES;
        }
        if (events.isEmpty()) {
            throw new InvalidInput("events must name at least one event type: " + WebhookRepository.EVENT_TYPES);
        }
        List<String> distinct = new ArrayList<>();
        for (String event : events) {
            if (!WebhookRepository.EVENT_TYPES.contains(event)) {
                throw new InvalidInput("events: unknown event type '" + event + "'; known: " + WebhookRepository.EVENT_TYPES);
            }
            if (!distinct.contains(event)) {
                distinct.add(event);
            }
        }
        return distinct;
    }
}
