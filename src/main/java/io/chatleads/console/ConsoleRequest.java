package io.chatleads.console;

import io.chatleads.account.Session;
import io.chatleads.http.StorableText;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One console request: its session (null on the signed-out pages), its form fields, and ways to answer. */
final class ConsoleRequest {

    private final RoutingContext ctx;
    private final Session session;
    private final Templates templates;
    private Map<String, List<String>> form;

    ConsoleRequest(RoutingContext ctx, Session session, Templates templates) {
        this.ctx = ctx;
        this.session = session;
        this.templates = templates;
    }

    RoutingContext ctx() {
        return ctx;
    }

    /** The signed-in owner's session; only pages that require one call this. */
    Session session() {
        return session;
    }

    String ownerId() {
        return session.ownerId();
    }

    String path(String name) {
        return ctx.pathParam(name);
    }

    /** A query parameter, stripped; "" when absent. Refused (400) when it cannot be stored or shown as text. */
    String query(String name) {
        String value = ctx.request().getParam(name);
        return value == null ? "" : StorableText.require(name, value).strip();
    }

    /** A field of the posted form (application/x-www-form-urlencoded), not stripped; "" when absent. */
    String field(String name) {
        if (form == null) {
            Buffer body = ctx.body() == null ? null : ctx.body().buffer();
            String raw = body == null ? "" : body.toString(StandardCharsets.UTF_8);
            form = new QueryStringDecoder(raw, StandardCharsets.UTF_8, false).parameters();
        }
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? "" : StorableText.require(name, values.get(0));
    }

    /** Whether a checkbox of the form was ticked. */
    boolean checked(String name) {
        return !field(name).isEmpty();
    }

    void render(int status, String template, View view, Object page) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .end(Buffer.buffer(templates.render(template, view, page)));
    }

    void render(String template, View view, Object page) {
        render(200, template, view, page);
    }

    /** 303 See Other: after a form, the browser asks the next page with GET, so reloading it posts nothing again. */
    void redirect(String location) {
        ctx.response().setStatusCode(303).putHeader("Location", location).end();
    }
}
