package io.chatleads.widget;

import io.chatleads.http.PackagedFile;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /widget/v1.js}: the widget's script, read from the jar once and served from memory,
 * gzipped for browsers that accept it. Cached for a day and then revalidated by its strong ETag,
 * so a new release reaches every site within a day without a change to their snippet.
 */
final class WidgetScript {

    static final String RESOURCE = "/widget/v1.js";
    static final String CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800";

    private final PackagedFile file;

    private WidgetScript(PackagedFile file) {
        this.file = file;
    }

    static WidgetScript load() {
        return new WidgetScript(PackagedFile.load(RESOURCE, "text/javascript; charset=utf-8"));
    }

    byte[] gzipped() {
        return file.gzipped();
    }

    void serve(RoutingContext ctx) {
        // A classic <script src> needs neither; a page loading it with crossorigin or integrity=, or
        // one isolated with COEP, needs both.
        ctx.response()
                .putHeader("Access-Control-Allow-Origin", "*")
                .putHeader("Cross-Origin-Resource-Policy", "cross-origin");
        file.serve(ctx, CACHE_CONTROL);
    }
}
