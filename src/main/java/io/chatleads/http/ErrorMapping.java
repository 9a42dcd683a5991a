package io.chatleads.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** The one place where exceptions become HTTP answers: always JSON {@code {"message": …}}, never a stack trace. */
public final class ErrorMapping {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private final ObjectMapper json;
    private final long maxBodyBytes;

    public ErrorMapping(ObjectMapper json, ServerLimits limits) {
        this.json = json;
        this.maxBodyBytes = limits.maxBodyBytes();
    }

    public void install(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            respond(ctx, e.status(), e.getMessage());
        });
        // Javalin's own answers: unknown route (404), wrong method (405), and the like.
        routes.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, e.getStatus(), describe(ctx, e, maxBodyBytes)));
        routes.exception(Exception.class, (e, ctx) -> {
            // Jetty's own refusals while a handler reads the request (a chunked body over the size
            // limit, say) are the client's fault, not ours: answer their 4xx, not 500.
            org.eclipse.jetty.http.HttpException jetty = jettyClientError(e);
            if (jetty != null) {
                respond(ctx, jetty.getCode(), jetty.getCode() == 413
                        ? "request body is larger than " + maxBodyBytes + " bytes"
                        : String.valueOf(jetty.getReason()));
                return;
            }
            log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            respond(ctx, 500, "internal server error");
        });
    }

    private static org.eclipse.jetty.http.HttpException jettyClientError(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.eclipse.jetty.http.HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return http;
            }
        }
        return null;
    }

    private static String describe(Context ctx, HttpResponseException e, long maxBodyBytes) {
        return switch (e.getStatus()) {
            case 404 -> "no route " + ctx.method() + " " + ctx.path();
            case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
            case 413 -> "request body is larger than " + maxBodyBytes + " bytes";
            default -> e.getMessage();
        };
    }

    public void respond(Context ctx, int status, String message) {
        try {
            ctx.status(status)
                    .contentType("application/json")
                    .result(json.writeValueAsBytes(Map.of("message", message)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }
}
