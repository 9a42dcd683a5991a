package io.chatleads.http;

import java.util.Map;

/**
 * A request that cannot be answered with success, with the status and the one-sentence message the
 * caller sees as {@code {"message": …}}. Thrown anywhere on the request path; {@link ErrorMapping}
 * turns it into the response.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final Map<String, String> headers;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
