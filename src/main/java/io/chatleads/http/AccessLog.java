package io.chatleads.http;


import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;

/**
 * One access-log line and one metrics sample per request, both keyed by the route template, never
 * the raw path or query (which may carry ids and, from careless clients, secrets).
 */
final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("chatleads.access");

    private AccessLog() {
    }

    static void record(RequestMetrics metrics, RoutingContext ctx, long nanos) {
        write(metrics, ctx.request().method().name(), route(ctx), ctx.response().getStatusCode(),
                RequestContext.requestId(ctx), nanos);
    }

    /**
     * The line and the sample for one request. Written on the event loop as the answer goes out, so
     * the request's id goes into the MDC for this line alone; a broken log line must never cost a
     * client its answer.
     */
    static void write(RequestMetrics metrics, String method, String route, int status, String requestId, long nanos) {
        MDC.put(RequestContext.MDC_KEY, requestId);
        try {
            metrics.record(method, route, status, Duration.ofNanos(nanos));
            // Tenths of a millisecond by hand: String.format was a third of this method's cost under load.
            long tenths = Math.round(nanos / 100_000.0);
            log.atInfo()
                    .addKeyValue("method", method)
                    .addKeyValue("route", route)
                    .addKeyValue("status", status)
                    .addKeyValue("durationMs", tenths / 10.0)
                    .addKeyValue("requestId", requestId)
                    .setMessage(method + " " + route + " " + status + " " + (tenths / 10) + "." + (tenths % 10) + " ms")
                    .log();
        } catch (RuntimeException e) {
            log.warn("cannot record the access log line", e);
        } finally {
            MDC.remove(RequestContext.MDC_KEY);
        }
    }

    /** The matched route template; requests that matched none are grouped so they cannot add series. */
    static String route(RoutingContext ctx) {
        String template = ctx.get(Routes.TEMPLATE);
        if (template != null) {
            return template;
        }
        if (ctx.response().getStatusCode() == 413) {
            // over the body limit before any route ran: counted with the codec's refusals
            return InvalidRequests.ROUTE;
        }
        String path = ctx.request().path();
        if (path != null && path.startsWith("/webjars/")) {
            return "/webjars/*";
        }
        return "unmatched";
    }
}
