package io.chatleads.http;

import io.chatleads.RandomIds;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.MDC;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The first handler of every request: gives it a request id (the caller's {@code X-Request-Id}
 * when sane, else a new one), returns the id in the response, sets the security headers, and
 * writes the access-log line and metrics sample once the response has gone out. The id is in the
 * logging MDC while this loop runs the request's handlers, and {@link Routes} puts it there on the
 * worker thread of a blocking route.
 */
public final class RequestContext implements Handler<RoutingContext> {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final String ID = "chatleads.requestId";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final RequestMetrics metrics;
    private final boolean compresses;

    /** {@code compresses}: the server gzips answers, so every answer varies by the request's Accept-Encoding. */
    RequestContext(RequestMetrics metrics, boolean compresses) {
        this.metrics = metrics;
        this.compresses = compresses;
    }

    /** The id a request is known by: the caller's when it is safe to log and echo, else a fresh one. */
    static String requestIdFor(String offered) {
        // A value shaped like an API key (apikey.ApiKeyRepository.SECRET_PREFIX) is refused too: a
        // confused client must not get its secret logged.
        if (offered != null && SANE.matcher(offered).matches() && !offered.startsWith("cl_")) {
            return offered;
        }
        return RandomIds.unique(20);
    }

    /** The id given to this request by the first handler. */
    public static String requestId(RoutingContext ctx) {
        return ctx.get(ID);
    }

    @Override
    public void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        String id = requestIdFor(ctx.request().getHeader(HEADER));
        ctx.put(ID, id);
        HttpServerResponse response = ctx.response();
        response.putHeader(HEADER, id);
        securityHeaders(response, ctx.request().path());
        // As the status line is written, before any byte goes out, so the line is there by the time
        // the client has its answer (a streamed export is timed to its first bytes); the end handler
        // catches a request whose connection closed before any answer.
        AtomicBoolean recorded = new AtomicBoolean();
        Runnable record = () -> {
            if (recorded.compareAndSet(false, true)) {
                AccessLog.record(metrics, ctx, System.nanoTime() - started);
            }
        };
        ctx.addHeadersEndHandler(statusLine -> {
            if (compresses) {
                varyByAcceptEncoding(response);
            }
            record.run();
        });
        ctx.addEndHandler(ended -> {
            if (ctx.response().headWritten()) {
                record.run();
            } else {
                // A connection failed with the answer still to come: Vert.x tells the response before
                // the body's reader, whose error answer (a malformed chunk's 400) follows on this
                // turn of the loop. Recorded after it, so the line has that status.
                ctx.vertx().runOnContext(later -> record.run());
            }
        });
        MDC.put(MDC_KEY, id);
        try {
            ctx.next();
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /**
     * Adds Accept-Encoding to the answer's Vary (keeping what a route put there, such as Origin): a
     * shared cache must not hand a gzipped answer to a client that did not ask for one.
     */
    static void varyByAcceptEncoding(HttpServerResponse response) {
        String vary = response.headers().get("Vary");
        if (vary == null || vary.isBlank()) {
            response.putHeader("Vary", "Accept-Encoding");
        } else if (!vary.toLowerCase(java.util.Locale.ROOT).contains("accept-encoding") && !vary.strip().equals("*")) {
            response.putHeader("Vary", vary + ", Accept-Encoding");
        }
    }

    static void securityHeaders(HttpServerResponse response, String path) {
        response.putHeader("X-Content-Type-Options", "nosniff");
        // API answers carry keys' data and must not sit in shared caches; the versioned Swagger UI
        // assets under /webjars are the one thing worth caching.
        if (path == null || !path.startsWith("/webjars/")) {
            response.putHeader("Cache-Control", "no-store");
        }
    }
}
