package io.chatleads.webhook;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The webhook feature's meters, registered by the feature itself. */
public final class WebhookMeters {

    private WebhookMeters() {
    }

    /**
     * Webhook delivery: the outbox depth (deliveries not yet finished, across all servers; one
     * count query per scrape), attempt outcomes and exhausted deliveries of this server, attempts
     * in flight.
     */
    public static void register(MeterRegistry registry, WebhookWorker worker) {
        Gauge.builder("chatleads.webhook.outbox.depth", worker, WebhookWorker::outboxDepth)
                .description("Webhook deliveries not yet finished, across all servers")
                .register(registry);
        FunctionCounter.builder("chatleads.webhook.attempts", worker, WebhookWorker::attemptsSucceeded)
                .description("Delivery attempts made by this server, by outcome")
                .tag("outcome", "success")
                .register(registry);
        FunctionCounter.builder("chatleads.webhook.attempts", worker, WebhookWorker::attemptsFailed)
                .description("Delivery attempts made by this server, by outcome")
                .tag("outcome", "failure")
                .register(registry);
        FunctionCounter.builder("chatleads.webhook.deliveries.failed", worker, WebhookWorker::deliveriesFailed)
                .description("Deliveries that used up their attempts on this server")
                .register(registry);
        Gauge.builder("chatleads.webhook.attempts.in.flight", worker, WebhookWorker::inFlight)
                .description("Delivery attempts running on this server now")
                .register(registry);
    }
}
