package io.chatleads.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.db.SqlErrors;
import io.chatleads.error.Conflict;
import io.chatleads.error.DomainException;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.error.Refused;
import io.chatleads.error.Unauthenticated;
import io.chatleads.error.Unavailable;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Map;

/**
 * The one place where failures become HTTP answers: always JSON {@code {"message": …}}, never a
 * stack trace. A feature's {@link DomainException} gets its status here ({@link #status}); the
 * toolkit's own refusals come as {@link ApiException} with theirs. A failure that says the database
 * could not be reached, on whichever path (an event loop's connection or the JDBC pool), is
 * {@link Unavailable} ({@link SqlErrors#isUnavailable} decides): 503 with {@code Retry-After},
 * counted apart from 500s.
 */
public final class ErrorMapping {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private final ObjectMapper json;
    private final long maxBodyBytes;
    private final RequestMetrics metrics;

    ErrorMapping(ObjectMapper json, ServerLimits limits, RequestMetrics metrics) {
        this.json = json;
        this.maxBodyBytes = limits.maxBodyBytes();
        this.metrics = metrics;
    }

    /**
     * For the router's failure handler and its error handlers: a route that threw, or vertx-web's
     * own refusals (no such route, wrong method, a body over the limit), which come as a bare status.
     */
    public void handle(RoutingContext ctx) {
        // Failures are answered on the event loop: the request's id goes into the MDC here.
        MDC.put(RequestContext.MDC_KEY, String.valueOf(RequestContext.requestId(ctx)));
        try {
            answer(ctx);
        } finally {
            MDC.remove(RequestContext.MDC_KEY);
        }
    }

    private void answer(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            // A streamed answer failed half-way (the export, say): its status is gone; all that
            // is left to say is to cut the connection, so the client sees an incomplete body.
            log.warn("answer to {} {} failed after it started: {}", ctx.request().method(), ctx.request().path(),
                    String.valueOf(ctx.failure()));
            ctx.request().connection().close();
            return;
        }
        Throwable failure = ctx.failure();
        if (!(failure instanceof DomainException) && !(failure instanceof ApiException) && SqlErrors.isUnavailable(failure)) {
            failure = new Unavailable();
        }
        if (failure instanceof DomainException domain) {
            if (domain instanceof Unauthenticated) {
                response.putHeader("WWW-Authenticate", "Bearer");
            }
            if (domain instanceof Unavailable) {
                // Not logged per request (an outage would write thousands of lines): the pool and
                // the event loops' connections log the loss once each; this counter counts the answers.
                metrics.databaseUnavailable();
                response.putHeader("Retry-After", Integer.toString(Unavailable.RETRY_AFTER_SECONDS));
            }
            respond(ctx, status(domain), domain.getMessage());
            return;
        }
        if (failure instanceof ApiException api) {
            api.headers().forEach(response::putHeader);
            respond(ctx, api.status(), api.getMessage());
            return;
        }
        int status = failure instanceof HttpException http ? http.getStatusCode()
                : failure == null || isClientError(ctx.statusCode()) ? ctx.statusCode() : 500;
        if (isClientError(status)) {
            // vertx-web's own refusals with a cause (a request path that is empty, say) name it in fixed words
            respond(ctx, status, failure instanceof io.vertx.core.VertxException refusal && !(failure instanceof HttpException)
                    && refusal.getMessage() != null
                    ? refusal.getMessage() : describe(ctx, status));
            return;
        }
        log.error("unhandled error on {} {}", ctx.request().method(), ctx.request().path(), failure);
        respond(ctx, 500, "internal server error");
    }

    private static boolean isClientError(int status) {
        return status >= 400 && status < 500;
    }

    private String describe(RoutingContext ctx, int status) {
        return switch (status) {
            case 404 -> "no route " + ctx.request().method() + " " + ctx.request().path();
            case 405 -> "method " + ctx.request().method() + " is not allowed on " + ctx.request().path();
            case 413 -> tooLarge(maxBodyBytes);
            case 415 -> "unsupported media type";
            default -> "bad request";
        };
    }

    /** The message of a 413 for a body over {@code CHATLEADS_HTTP_MAX_BODY_BYTES}. */
    static String tooLarge(long maxBodyBytes) {
        return "request body is larger than " + maxBodyBytes + " bytes (CHATLEADS_HTTP_MAX_BODY_BYTES)";
    }

    /** The HTTP status of a domain error. */
    public static int status(DomainException failure) {
        if (failure instanceof InvalidInput) {
            return 400;
        }
        if (failure instanceof Unauthenticated) {
            return 401;
        }
        if (failure instanceof Refused) {
            return 403;
        }
        if (failure instanceof NotFound) {
            return 404;
        }
        if (failure instanceof Conflict) {
            return 409;
        }
        if (failure instanceof Unavailable) {
            return 503;
        }
        throw new IllegalStateException("no status for " + failure.getClass().getName());
    }

    public void respond(RoutingContext ctx, int status, String message) {
        Responses.json(ctx, status, body(message));
    }

    /** The one error body: {@code {"message": …}}. */
    byte[] body(String message) {
        try {
            return json.writeValueAsBytes(Map.of("message", message));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }
}
