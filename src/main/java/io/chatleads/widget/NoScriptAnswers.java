package io.chatleads.widget;

import io.chatleads.lead.LeadCaptureRoute;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * The pages a visitor's browser shows after posting a plain HTML form to the capture route, as
 * the chatbot's widget settings say: a redirect to the owner's thank-you address, else a small
 * thank-you page of chatleads' own in the widget's language; a refusal is a page too, saying why,
 * with a link back to where the form was.
 */
public final class NoScriptAnswers implements LeadCaptureRoute.FormAnswers {

    // Only the page's own inline styles: no script, nothing loaded, no form, not in a frame.
    private static final String POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final WidgetSettingsRepository settings;

    public NoScriptAnswers(WidgetSettingsRepository settings) {
        this.settings = settings;
    }

    @Override
    public void stored(RoutingContext ctx, String chatbotId) {
        WidgetSettings widget = settings.find(chatbotId);
        if (widget.redirectUrl() != null) {
            // 303: the browser follows with a GET, so reloading the thank-you page posts nothing again.
            ctx.response().setStatusCode(303).putHeader("Location", widget.redirectUrl())
                    .putHeader("Cache-Control", "no-store").end();
            return;
        }
        page(ctx, 200, widget, widget.text(WidgetText.SUCCESS), null);
    }

    @Override
    public void refused(RoutingContext ctx, String chatbotId, int status, String message, Map<String, String> headers) {
        headers.forEach(ctx.response()::putHeader);
        // An unknown chatbot and one not taking leads look the same: neither shows its settings.
        WidgetSettings widget = status == 404 ? WidgetSettings.defaults() : settings.find(chatbotId);
        String heading = status == 403 || status == 404 ? widget.text(WidgetText.UNAVAILABLE) : widget.text(WidgetText.FAILED);
        page(ctx, status, widget, heading, status == 400 || status == 413 ? message : null);
    }

    private static void page(RoutingContext ctx, int status, WidgetSettings widget, String heading, String detail) {
        String back = backTo(ctx.request().getHeader("Referer"));
        String html = """
                <!doctype html>
                <html lang="%s"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title><style>
                body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f3f4f6;color:#111827;
                font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
                main{max-width:32rem;margin:16px;padding:28px;background:#fff;border:1px solid #e5e7eb;border-radius:12px}
                h1{font-size:20px;margin:0 0 8px}p{margin:8px 0 0}a{color:%s;font-weight:600}
                @media (prefers-color-scheme:dark){body{background:#030712;color:#f3f4f6}main{background:#111827;border-color:#374151}a{color:inherit}}
                </style></head>
                <body><main><h1>%s</h1>%s%s</main></body></html>
                """.formatted(widget.language(), escape(heading), widget.accentColor(), escape(heading),
                detail == null ? "" : "<p>" + escape(detail) + "</p>",
                back == null ? "" : "<p><a href=\"" + escape(back) + "\">" + escape(widget.text(WidgetText.BACK)) + "</a></p>");
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Content-Security-Policy", POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(Buffer.buffer(html));
    }

    /** The page the form was on, when the browser said (an http or https address); else no link. */
    static String backTo(String referer) {
        if (referer == null || referer.length() > WidgetSettings.MAX_URL) {
            return null;
        }
        try {
            URI uri = new URI(referer.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri.toString() : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
