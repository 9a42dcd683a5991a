package io.chatleads.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Ends a response with a whole body: the one way routes answer, so every answer has its type and length. */
public final class Responses {

    public static final String JSON = "application/json";

    private Responses() {
    }

    public static void send(RoutingContext ctx, int status, String contentType, byte[] body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", contentType).end(Buffer.buffer(body));
    }

    public static void json(RoutingContext ctx, int status, byte[] body) {
        send(ctx, status, JSON, body);
    }

    /** An answer without a body, such as 204. */
    public static void empty(RoutingContext ctx, int status) {
        ctx.response().setStatusCode(status).end();
    }
}
