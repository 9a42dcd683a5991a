package io.chatleads.http;

import io.chatleads.RandomIds;
import io.chatleads.apikey.ApiKeyRepository;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.OutputStream;
import java.util.regex.Pattern;

/**
 * Wraps every request, before Javalin sees it: gives it a request id (the caller's
 * {@code X-Request-Id} when sane, else a new one), returns the id in the response, puts it in the
 * logging MDC, and sets the security headers. The MDC is set and cleared around the whole request in
 * this one stack frame, so every log line of the request carries the id and none leaks onto the next
 * request a pooled thread serves; a request runs on one thread from here to the access-log line,
 * virtual or not, because no route hands work to another thread.
 */
public final class RequestContext implements Filter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    public static final String ATTRIBUTE = "chatleads.requestId";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /** The id a request is known by: the caller's when it is safe to log and echo, else a fresh one. */
    static String requestId(String offered) {
        // A value shaped like an API key is refused too: a confused client must not get its secret logged.
        if (offered != null && SANE.matcher(offered).matches() && !offered.startsWith(ApiKeyRepository.SECRET_PREFIX)) {
            return offered;
        }
        return RandomIds.urlSafe(20);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse out = (HttpServletResponse) response;
        String id = requestId(http.getHeader(HEADER));
        http.setAttribute(ATTRIBUTE, id);
        out.setHeader(HEADER, id);
        out.setHeader("X-Content-Type-Options", "nosniff");
        // API answers carry keys' data and must not sit in shared caches; the versioned Swagger UI
        // assets under /webjars are the one thing worth caching.
        if (!http.getRequestURI().startsWith("/webjars/")) {
            out.setHeader("Cache-Control", "no-store");
        }
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
            discardUnreadBody(http);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /**
     * Reads and drops what the route left of the request body (a GET to a static route sent with a
     * body, a request refused before its body was needed). Jetty closes a connection whose body is
     * still arriving; the bytes that arrive after the close make the kernel reset the connection,
     * which can cut off the end of a large answer still on its way. The body cannot exceed the size
     * limit: the SizeLimitHandler fails this read past it, and the connection then closes as before.
     */
    private static void discardUnreadBody(HttpServletRequest request) {
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        // A client that waits for "100 Continue" sends nothing uninvited; reading would invite it.
        if (!hasBody || "100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            return;
        }
        try {
            request.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException unreadable) {
            // over the limit, a reader already taken, or the client gone: nothing left to keep open
        }
    }
}
