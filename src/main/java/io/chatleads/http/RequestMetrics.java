package io.chatleads.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code http.server.requests} timers, one per method, route template and status; and
 * {@code chatleads.database.unavailable}, the answers that were 503 because the database could not
 * be reached (a 503 in the timers may also be readiness saying so).
 */
final class RequestMetrics {

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final Counter databaseUnavailable;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.databaseUnavailable = Counter.builder("chatleads.database.unavailable")
                .description("Requests answered 503 because the database could not be reached")
                .register(registry);
    }

    void databaseUnavailable() {
        databaseUnavailable.increment();
    }

    /**
     * One finished HTTP request. {@code route} is the route template ({@code /api/v1/leads/{id}}),
     * never the raw path, so ids do not explode the number of series.
     */
    void record(String method, String route, int status, Duration duration) {
        // Building and registering a timer is a map look-up of a freshly built id and tags; the
        // few method, route template and status combinations are kept here instead.
        timers.computeIfAbsent(method + ' ' + route + ' ' + status, key -> timer(method, route, status))
                .record(duration);
    }

    private Timer timer(String method, String route, int status) {
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
}
