package io.chatleads.http;

import io.chatleads.ops.Metrics;
import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * One access-log line and one metrics sample per request, both keyed by the route template, never
 * the raw path or query (which may carry ids and, from careless clients, secrets). Runs inside
 * {@link RequestContext}, so the line carries the request id through the MDC.
 */
public final class AccessLog implements RequestLogger {

    private static final Logger log = LoggerFactory.getLogger("chatleads.access");

    private final Metrics metrics;

    public AccessLog(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(Context ctx, Float executionTimeMs) {
        // Javalin turns an exception thrown here into a 500 after the body is written; a broken log
        // line must never cost a client its answer.
        try {
            record(ctx, executionTimeMs == null ? 0 : executionTimeMs);
        } catch (RuntimeException e) {
            log.warn("cannot record the access log line", e);
        }
    }

    private void record(Context ctx, double millis) {
        write(metrics, ctx.method().name(), route(ctx), ctx.statusCode(), ctx.attribute(RequestContext.ATTRIBUTE), millis);
    }

    /**
     * The line and the sample for one request, apart from how a server learns its fields
     * (bench/experiments/vertx calls this too, so that it does the same work per request).
     */
    public static void write(Metrics metrics, String method, String route, int status, String requestId, double millis) {
        metrics.httpRequest(method, route, status, Duration.ofNanos((long) (millis * 1_000_000)));
        // Tenths of a millisecond by hand: String.format was a third of this method's cost under load.
        long tenths = Math.round(millis * 10);
        log.atInfo()
                .addKeyValue("method", method)
                .addKeyValue("route", route)
                .addKeyValue("status", status)
                .addKeyValue("durationMs", tenths / 10.0)
                .addKeyValue("requestId", requestId)
                .setMessage(method + " " + route + " " + status + " " + (tenths / 10) + "." + (tenths % 10) + " ms")
                .log();
    }

    /** The matched route template; requests that matched none are grouped so they cannot add series. */
    static String route(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint != null) {
            return endpoint.path;
        }
        if (ctx.path().startsWith("/webjars/")) {
            return "/webjars/*";
        }
        return "unmatched";
    }
}
