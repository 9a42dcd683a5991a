package io.chatleads.webhook;

/** A webhook just registered, with its signing secret: the only time the owner is shown it. */
public record CreatedWebhook(Webhook webhook, String secret) {
}
