package io.chatleads.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's stylesheet and script, read once from the jar ({@code src/main/resources/console/}).
 * uPlot, which draws the chart, comes from its webjar under {@code /webjars/uplot/}.
 */
final class ConsoleAssets {

    private final Map<String, Asset> assets = Map.of(
            "console.css", new Asset("text/css; charset=utf-8", read("console.css")),
            "console.js", new Asset("text/javascript; charset=utf-8", read("console.js")));

    private record Asset(String contentType, byte[] body) {
    }

    void serve(RoutingContext ctx) {
        Asset asset = assets.get(ctx.pathParam("file"));
        ConsoleSecurity.headers(ctx.response());
        if (asset == null) {
            ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("not found");
            return;
        }
        // Small, and changed only with a new release: a browser may keep them for an hour.
        ctx.response().putHeader("Cache-Control", "public, max-age=3600")
                .putHeader("Content-Type", asset.contentType())
                .end(Buffer.buffer(asset.body()));
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
