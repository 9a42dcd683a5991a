package io.chatleads.cli;

import io.chatleads.Timestamps;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.app.Chatleads;
import io.chatleads.webhook.Delivery;
import io.chatleads.webhook.EndpointPolicy;
import io.chatleads.webhook.Webhook;
import io.chatleads.webhook.WebhookJson;
import io.chatleads.webhook.RotatedSecret;
import io.chatleads.webhook.WebhookRegistration;
import io.chatleads.webhook.WebhookRepository.RekeyResult;
import io.chatleads.webhook.WebhookRepository.RetryResult;
import io.chatleads.webhook.WebhookSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.Objects;

/**
 * {@code webhook add|list|remove|deliveries|retry|rotate-secret}: the webhook API for the operator,
 * who names the owner instead of holding their key. Sending is the running server's job:
 * {@code retry} makes a delivery due, and a server's worker sends it. {@code rekey} is the
 * operator's alone: it seals every stored signing secret anew under the current
 * {@code CHATLEADS_WEBHOOK_SECRET_KEY}.
 */
@Command(name = "webhook", description = "Manage webhooks and their deliveries.",
        subcommands = {WebhookCommand.Add.class, WebhookCommand.List.class, WebhookCommand.Remove.class,
                WebhookCommand.Deliveries.class, WebhookCommand.Retry.class, WebhookCommand.RotateSecret.class,
                WebhookCommand.Rekey.class})
final class WebhookCommand {

    @ParentCommand
    ChatleadsCommand root;

    /**
     * Built on first use, not when picocli instantiates this class for every command line: {@code serve}
     * would otherwise pay for Jackson here, on its start-up path.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    static String json(Map<String, Object> value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Webhook requireWebhook(Chatleads app, String webhookId) {
        return app.webhooks().find(webhookId).orElseThrow(() -> Commands.notFound("webhook", webhookId));
    }

    @Command(name = "add", description = "Register an endpoint; prints the webhook as JSON with its signing secret, shown only this once.")
    static final class Add implements Runnable {
        @ParentCommand
        WebhookCommand parent;

        @Option(names = "--owner", required = true, paramLabel = "OWNER_ID")
        String ownerId;

        @Option(names = "--endpoint", required = true, paramLabel = "URL")
        String endpoint;

        @Option(names = "--chatbot", paramLabel = "CHATBOT_ID", description = "Default: all the owner's chatbots.")
        String chatbotId;

        @Option(names = "--event", paramLabel = "TYPE", description = "Repeatable. Default: every event type (leads.submit).")
        java.util.List<String> events;

        @Override
        public void run() {
            try (Chatleads app = parent.root.open()) {
                Commands.requireOwner(app, ownerId);
                WebhookRegistration registration = new WebhookRegistration(app.chatbots(), app.webhooks(),
                        new EndpointPolicy(WebhookSettings.from(parent.root.settings()).allowPrivate()));
                parent.root.out.println(json(WebhookJson.created(registration.register(ownerId, chatbotId, endpoint, events))));
            }
        }
    }

    @Command(name = "list", description = "List an owner's webhooks (never their secrets).")
    static final class List implements Runnable {
        @ParentCommand
        WebhookCommand parent;

        @Option(names = "--owner", required = true, paramLabel = "OWNER_ID")
        String ownerId;

        @Override
        public void run() {
            Commands.listOfOwner(parent.root, ownerId, new String[]{"ID", "ENDPOINT", "EVENTS", "CHATBOT", "CREATED"},
                    app -> app.webhooks().listByOwner(ownerId),
                    (Webhook webhook) -> new String[]{webhook.id(), webhook.endpoint(), String.join(",", webhook.events()),
                            Objects.requireNonNullElse(webhook.chatbotId(), "*"), Timestamps.format(webhook.createdAt())});
        }
    }

    @Command(name = "remove", description = "Delete a webhook with its deliveries; nothing more is sent to it.")
    static final class Remove implements Runnable {
        @ParentCommand
        WebhookCommand parent;

        @Parameters(paramLabel = "WEBHOOK_ID")
        String webhookId;

        @Override
        public void run() {
            Commands.change(parent.root, "webhook", webhookId, app -> app.webhooks().delete(webhookId), "removed " + webhookId);
        }
    }

    @Command(name = "deliveries", description = "Recent deliveries of a webhook, newest first, one JSON object a line with its attempts.")
    static final class Deliveries implements Runnable {
        @ParentCommand
        WebhookCommand parent;

        @Parameters(paramLabel = "WEBHOOK_ID")
        String webhookId;

        @Option(names = "--limit", defaultValue = "20", description = "1 to 100, default 20.")
        int limit;

        @Override
        public void run() {
            if (limit < 1 || limit > 100) {
                throw new CliException("--limit must be from 1 to 100, got " + limit);
            }
            try (Chatleads app = parent.root.open()) {
                requireWebhook(app, webhookId);
                for (Delivery delivery : app.webhooks().recentDeliveries(webhookId, limit)) {
                    parent.root.out.println(json(WebhookJson.delivery(delivery)));
                }
            }
        }
    }

    @Command(name = "retry", description = "Make a delivery due now; a running server sends it.")
    static final class Retry implements Runnable {
        @ParentCommand
        WebhookCommand parent;

        @Parameters(index = "0", paramLabel = "WEBHOOK_ID")
        String webhookId;

        @Parameters(index = "1", paramLabel = "DELIVERY_ID")
        String deliveryId;

        @Override
        public void run() {
            try (Chatleads app = parent.root.open()) {
                requireWebhook(app, webhookId);
                RetryResult result = app.webhooks().retry(webhookId, deliveryId);
                if (result == RetryResult.NOT_FOUND) {
                    throw Commands.notFound("delivery", deliveryId);
                }
                if (result == RetryResult.IN_FLIGHT) {
                    throw new CliException("delivery '" + deliveryId + "' has an attempt in progress; retry after it ends");
                }
                parent.root.out.println("scheduled " + deliveryId);
            }
        }
    }

    @Command(name = "rotate-secret", description = "Issue a new signing secret, printed with the webhook as JSON (shown only this once); "
            + "the old one also signs each delivery for CHATLEADS_WEBHOOK_SECRET_GRACE_HOURS (24 h by default).")
    static final class RotateSecret implements Runnable {
        @ParentCommand
        WebhookCommand parent;

        @Parameters(paramLabel = "WEBHOOK_ID")
        String webhookId;

        @Override
        public void run() {
            long graceMillis = WebhookSettings.from(parent.root.settings()).secretGraceMillis();
            try (Chatleads app = parent.root.open()) {
                RotatedSecret rotated = app.webhooks().rotateSecret(webhookId, graceMillis)
                        .orElseThrow(() -> Commands.notFound("webhook", webhookId));
                parent.root.out.println(json(WebhookJson.rotated(rotated)));
            }
        }
    }

    @Command(name = "rekey", description = "Encrypt every stored signing secret anew under CHATLEADS_WEBHOOK_SECRET_KEY; "
            + "safe to interrupt and run again (it continues where it stopped).")
    static final class Rekey implements Runnable {
        @ParentCommand
        WebhookCommand parent;

        @Option(names = "--batch", defaultValue = "500", description = "Webhooks read at a time, 1 to 10000, default 500.")
        int batch;

        @Override
        public void run() {
            if (batch < 1 || batch > 10_000) {
                throw new CliException("--batch must be from 1 to 10000, got " + batch);
            }
            try (Chatleads app = parent.root.open()) {
                if (!app.webhooks().encryptsSecrets()) {
                    throw new CliException("CHATLEADS_WEBHOOK_SECRET_KEY is not set: there is no key to encrypt the secrets under");
                }
                // Progress on stderr: stdout carries the one-line result.
                RekeyResult result = app.webhooks().rekey(batch, parent.root.err::println);
                for (String failure : result.failed()) {
                    parent.root.err.println("cannot rekey " + failure);
                }
                parent.root.out.println("rekeyed " + result.rekeyed() + ", already under key " + app.webhooks().currentSecretKeyId()
                        + " " + result.alreadyCurrent() + ", failed " + result.failed().size());
                if (!result.failed().isEmpty()) {
                    throw new CliException(result.failed().size() + " secret(s) could not be decrypted with the configured keys;"
                            + " add the key they were sealed under to CHATLEADS_WEBHOOK_PREVIOUS_SECRET_KEYS and run rekey again");
                }
            }
        }
    }
}
