package io.chatleads.webhook;

/** A webhook just registered, with its signing secret: the only time the owner is shown it. */
public record CreatedWebhook(Webhook webhook, String secret) {

    /** Keeps the secret out of logs and exception messages. */
    @Override
    public String toString() {
        return "CreatedWebhook[webhook=" + webhook + ", secret=****]";
    }
}
