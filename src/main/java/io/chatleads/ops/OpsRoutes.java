package io.chatleads.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.db.ReadReplicas;
import io.chatleads.http.Responses;
import io.chatleads.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /health/live}, {@code /health/ready} and {@code /metrics}: for load balancers and Prometheus. */
public final class OpsRoutes {

    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final String METRICS = "/metrics";

    private final Health health;
    private final Metrics metrics;
    private final ObjectMapper json;

    public OpsRoutes(Health health, Metrics metrics, ObjectMapper json) {
        this.health = health;
        this.metrics = metrics;
        this.json = json;
    }

    public void register(Routes routes) {
        // Liveness answers from the loop itself: a probe that must queue behind blocked workers would lie.
        routes.onLoop(HttpMethod.GET, LIVE, ctx -> Responses.json(ctx, 200, json.writeValueAsBytes(Map.of("status", "up"))));
        routes.get(READY, this::ready);
        routes.get(METRICS, ctx -> Responses.send(ctx, 200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8)));
    }

    private void ready(RoutingContext ctx) throws JsonProcessingException {
        Health.Readiness readiness = health.readiness();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", readiness.ready() ? "ready" : "unavailable");
        if (!readiness.ready()) {
            // the same {"message": …} every other non-2xx answer carries, so one client type reads all
            body.put("message", readiness.reason());
        }
        List<Map<String, Object>> replicas = new ArrayList<>();
        for (ReadReplicas.Status replica : health.replicas()) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("name", replica.name());
            shown.put("state", replica.state().label());
            shown.put("lagSeconds", replica.lagSeconds());
            if (replica.reason() != null) {
                shown.put("reason", replica.reason());
            }
            replicas.add(shown);
        }
        if (!replicas.isEmpty()) {
            body.put("replicas", replicas);
        }
        Responses.json(ctx, readiness.ready() ? 200 : 503, json.writeValueAsBytes(body));
    }
}
