package io.chatleads.http;

import io.vertx.core.Handler;
import io.vertx.core.http.MimeMapping;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /webjars/*}: the front-end libraries packaged as WebJars (Swagger UI, uPlot), from
 * memory. Each file is read and gzipped once, on a worker thread, the first time it is asked for
 * (Swagger UI's bundle is 1.7 MB, 0.5 MB gzipped); a path that names no file goes on to the 404.
 * The paths carry the library's version, so a browser may keep what it got for a year.
 */
final class WebJars implements Handler<RoutingContext> {

    static final String PATH = "/webjars/";
    static final String CACHE_CONTROL = "public, max-age=31536000, immutable";
    private static final String ROOT = "/META-INF/resources/webjars/";

    // Only files that exist stay: the jars hold a fixed, small set, so this cannot grow at a client's will.
    private final Map<String, CompletableFuture<PackagedFile>> files = new ConcurrentHashMap<>();

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String file = path.startsWith(PATH) ? path.substring(PATH.length()) : "";
        if (file.isEmpty() || file.endsWith("/") || file.contains("..") || file.contains("//") || file.contains("\\")) {
            ctx.next();
            return;
        }
        CompletableFuture<PackagedFile> loading = files.computeIfAbsent(file, name -> {
            CompletableFuture<PackagedFile> loaded = new CompletableFuture<>();
            ctx.vertx().executeBlocking(() -> PackagedFile.loadIfPresent(ROOT + name, contentType(name)), false)
                    .onComplete(done -> {
                        if (done.failed()) {
                            loaded.completeExceptionally(done.cause());
                        } else {
                            loaded.complete(done.result());
                        }
                    });
            return loaded;
        });
        Routes.resume(loading).onSuccess(packaged -> {
            if (packaged == null) {
                files.remove(file, loading);
                ctx.next();
            } else {
                packaged.serve(ctx, CACHE_CONTROL);
            }
        }).onFailure(ctx::fail);
    }

    private static String contentType(String file) {
        String type = MimeMapping.mimeTypeForFilename(file);
        if (type == null) {
            return "application/octet-stream";
        }
        return type.startsWith("text/") || type.equals("application/json")
                ? type + "; charset=utf-8" : type;
    }
}
