package io.chatleads.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.nio.charset.StandardCharsets;

/**
 * Requests the HTTP codec cannot accept, answered before any route runs (headers over their limit,
 * a request line too long, a request it cannot parse, one {@link StrictRequestDecoder} refuses for
 * its framing, version or Host): the same JSON {@code {"message": …}}, request id and security
 * headers as every other answer. The connection closes after the answer, and nothing the client
 * sent after the refused request is read.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {

    /**
     * These requests never reach the router's access log: counted and logged here, under this
     * route, so a client hitting the limits shows up in metrics and logs too.
     */
    static final String ROUTE = "rejected";

    private final ServerLimits limits;
    private final ErrorMapping errors;
    private final RequestMetrics metrics;

    InvalidRequests(ServerLimits limits, ErrorMapping errors, RequestMetrics metrics) {
        this.limits = limits;
        this.errors = errors;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
        int status = status(cause);
        String requestId = RequestContext.requestIdFor(request.getHeader(RequestContext.HEADER));
        String method = request.method() == null ? "UNKNOWN" : request.method().name();
        AccessLog.write(metrics, method, ROUTE, status, requestId, 0);
        HttpServerResponse response = request.response();
        response.setStatusCode(status)
                .putHeader("Content-Type", Responses.JSON)
                .putHeader(RequestContext.HEADER, requestId)
                .putHeader("Connection", "close");
        RequestContext.securityHeaders(response, null);
        response.end(Buffer.buffer(errors.body(message(status, cause))));
    }

    private static int status(Throwable cause) {
        if (cause instanceof ApiException refusal) {
            return refusal.status();
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return 431;
        }
        if (cause instanceof TooLongHttpLineException) {
            return 414;
        }
        return 400;
    }

    /** Our own words (the strict decoder's are ours too): Netty's messages may echo parts of the request. */
    private String message(int status, Throwable cause) {
        if (cause instanceof ApiException refusal) {
            return refusal.getMessage();
        }
        String netty = cause == null ? "" : String.valueOf(cause.getMessage());
        if (netty.startsWith("Multiple Content-Length")) {
            return "Content-Length is given more than once";
        }
        if (netty.startsWith("Content-Length value is not a number")) {
            return "Content-Length is not a non-negative decimal number";
        }
        return switch (status) {
            case 431 -> "request headers are larger than " + limits.maxHeaderBytes() + " bytes (CHATLEADS_HTTP_MAX_HEADER_BYTES)";
            case 414 -> "request line is too long";
            default -> "bad request";
        };
    }
}
