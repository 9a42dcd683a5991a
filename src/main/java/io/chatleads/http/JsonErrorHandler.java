package io.chatleads.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Errors Jetty answers itself, before a request reaches Javalin (a body over the size limit, headers
 * over theirs, a request it cannot parse): the same JSON {@code {"message": …}}, request id and
 * security headers as every other answer, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    private final ServerLimits limits;

    JsonErrorHandler(ServerLimits limits) {
        this.limits = limits;
        setShowStacks(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        headers.put(RequestContext.HEADER, RequestContext.requestId(request.getHeaders().get(RequestContext.HEADER)));
        securityHeaders(headers);
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(new HttpField(RequestContext.HEADER, RequestContext.requestId(null)));
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
