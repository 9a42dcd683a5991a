package io.chatleads.http;

import io.chatleads.error.InvalidInput;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.HexFormat;

/**
 * The request's path and query string, checked before any route reads them: every {@code %} must
 * start a two-digit hex escape (the decoders otherwise throw, a 500, or silently drop the
 * parameter, so a malformed startDate would widen the range to everything), and no escape may
 * decode to NUL ({@code %00}), which PostgreSQL refuses in text (a 500 there, a 404 on SQLite).
 * Both are a 400 naming the path segment or the parameter, the same on both databases.
 */
final class RequestTarget implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
        String uri = ctx.request().uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        for (String segment : path.split("/")) {
            String problem = problem(segment);
            if (problem != null) {
                ctx.fail(new InvalidInput("the path segment '" + RequestFraming.shown(segment) + "' " + problem));
                return;
            }
        }
        if (query >= 0) {
            requireValidQuery(uri.substring(query + 1));
        }
        ctx.next();
    }

    private static void requireValidQuery(String query) {
        for (String pair : query.split("&")) {
            String problem = problem(pair);
            if (problem != null) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = pair.substring(equals + 1);
                throw new InvalidInput(RequestFraming.shown(name) + " " + problem + ": '" + RequestFraming.shown(value) + "'");
            }
        }
    }

    /** What is wrong with the escapes of {@code text}, or null when nothing is. */
    private static String problem(String text) {
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
            boolean escape = i + 2 < text.length()
                    && HexFormat.isHexDigit(text.charAt(i + 1)) && HexFormat.isHexDigit(text.charAt(i + 2));
            if (!escape) {
                return "is not validly percent-encoded";
            }
            if (text.charAt(i + 1) == '0' && text.charAt(i + 2) == '0') {
                return "must not contain the NUL character (%00)";
            }
        }
        return null;
    }
}
