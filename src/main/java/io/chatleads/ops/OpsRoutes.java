package io.chatleads.ops;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health/live}, {@code /health/ready} and {@code /metrics}: for load balancers and Prometheus. */
public final class OpsRoutes {

    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final String METRICS = "/metrics";

    private final Health health;
    private final Metrics metrics;

    public OpsRoutes(Health health, Metrics metrics) {
        this.health = health;
        this.metrics = metrics;
    }

    public void register(RoutesConfig routes) {
        routes.get(LIVE, ctx -> ctx.json(Map.of("status", "up")));
        routes.get(READY, this::ready);
        routes.get(METRICS, ctx -> ctx
                .contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape().getBytes(StandardCharsets.UTF_8)));
    }

    private void ready(Context ctx) {
        Health.Readiness readiness = health.readiness();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", readiness.ready() ? "ready" : "unavailable");
        if (!readiness.ready()) {
            // the same {"message": …} every other non-2xx answer carries, so one client type reads all
            body.put("message", readiness.reason());
        }
        ctx.status(readiness.ready() ? 200 : 503).json(body);
    }
}
