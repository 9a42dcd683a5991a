package io.chatleads.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import io.chatleads.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Errors Jetty answers itself, before a request reaches Javalin (a body over the size limit, headers
 * over theirs, a request it cannot parse): the same JSON {@code {"message": …}}, request id and
 * security headers as every other answer, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final Logger log = LoggerFactory.getLogger("chatleads.access");

    private final ServerLimits limits;
    private final Metrics metrics;

    JsonErrorHandler(ServerLimits limits, Metrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
        setShowStacks(false);
    }

    /**
     * These requests never reach Javalin's access log: count and log them here, under the route
     * {@value #ROUTE}, so a client hitting the limits shows up in metrics and logs too.
     */
    static final String ROUTE = "rejected";

    private void record(String method, int status, String requestId) {
        metrics.httpRequest(method, ROUTE, status, Duration.ZERO);
        log.atInfo()
                .addKeyValue("method", method)
                .addKeyValue("route", ROUTE)
                .addKeyValue("status", status)
                .addKeyValue("requestId", requestId)
                .setMessage(method + " " + ROUTE + " " + status + " [" + requestId + "]")
                .log();
    }

    /** Jetty writes an empty body for methods other than GET, POST and HEAD: every method gets the JSON answer. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        HttpFields.Mutable headers = response.getHeaders();
        String requestId = RequestContext.requestId(request.getHeaders().get(RequestContext.HEADER));
        record(request.getMethod(), code, requestId);
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        headers.put(RequestContext.HEADER, requestId);
        securityHeaders(headers);
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String requestId = RequestContext.requestId(null);
        // the request could not be parsed: its method is unknown
        record("UNKNOWN", status, requestId);
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(new HttpField(RequestContext.HEADER, requestId));
        securityHeaders(fields);
        return ByteBuffer.wrap(body(status));
    }

    private static void securityHeaders(HttpFields.Mutable headers) {
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    }

    /** Our own words: Jetty's reason may echo parts of the request. */
    private byte[] body(int status) {
        String message = switch (status) {
            case 413 -> "request body is larger than " + limits.maxBodyBytes() + " bytes";
            case 431 -> "request headers are larger than " + limits.maxHeaderBytes() + " bytes";
            default -> {
                String reason = HttpStatus.getMessage(status);
                yield reason == null ? "error " + status : reason.toLowerCase(Locale.ROOT);
            }
        };
        return ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
