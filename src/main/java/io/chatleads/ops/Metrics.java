package io.chatleads.ops;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.chatleads.lead.EventLoopLeadListener;
import io.chatleads.lead.LeadCreatedListener;
import io.chatleads.webhook.WebhookWorker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one meter registry of a running chatleads, scraped at {@code GET /metrics}. Built once per
 * {@link io.chatleads.Chatleads} and reached through it, so a feature registers its own meters
 * (webhooks: outbox depth, delivery outcomes) with {@code app.metrics().registry()}: for example
 * {@code Gauge.builder("chatleads.webhook.outbox.depth", outbox, Outbox::depth).register(registry)}.
 */
public final class Metrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Not "leads.created": Prometheus reserves the _created suffix, and its client drops it.
    private final Counter leadsCreated;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ConcurrentHashMap<String, Timer> requestTimers = new ConcurrentHashMap<>();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        leadsCreated = Counter.builder("chatleads.lead.creations")
                .description("Leads stored, counted when their transaction commits")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** Pool gauges (active, idle, pending = waiting for a connection) and acquire timings. */
    public void instrument(HikariDataSource dataSource) {
        dataSource.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }

    /**
     * Counts a lead once its transaction commits: a lead rolled back with its transaction (an outbox
     * write failing, say) is not counted, so the counter agrees with the table.
     */
    public LeadCreatedListener leadCounter() {
        return (transaction, leads) -> transaction.afterCommit(() -> leadsCreated.increment(leads.size()));
    }

    /** {@link #leadCounter()} for the leads {@link io.chatleads.lead.EventLoopLeads} stores: the same counter. */
    public EventLoopLeadListener eventLoopLeadCounter() {
        return (transaction, lead, afterCommit) -> {
            afterCommit.accept(leadsCreated::increment);
            return Future.succeededFuture();
        };
    }

    /**
     * Webhook delivery: the outbox depth (deliveries not yet finished, across all servers; one
     * count query per scrape), attempt outcomes and exhausted deliveries of this server, attempts
     * in flight.
     */
    public void bindWebhookWorker(WebhookWorker worker) {
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

    /**
     * One finished HTTP request. {@code route} is the route template ({@code /api/v1/leads/{id}}),
     * never the raw path, so ids do not explode the number of series.
     */
    public void httpRequest(String method, String route, int status, Duration duration) {
        // Building and registering a timer is a map look-up of a freshly built id and tags; the
        // few method, route template and status combinations are kept here instead.
        requestTimers.computeIfAbsent(method + ' ' + route + ' ' + status, key -> requestTimer(method, route, status))
                .record(duration);
    }

    private Timer requestTimer(String method, String route, int status) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests by route template, method and status")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                // get-leads with size=1000 on a slow disk can take seconds; keep buckets up to 30 s
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
