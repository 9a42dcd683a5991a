package io.chatleads.widget;

import io.chatleads.http.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /widget/v1.js}: the widget's script, read from the jar once and served from memory,
 * gzipped for browsers that accept it. Cached for a day and then revalidated by its strong ETag,
 * so a new release reaches every site within a day without a change to their snippet.
 */
final class WidgetScript {

    static final String RESOURCE = "/widget/v1.js";
    static final String CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800";

    private final byte[] plain;
    private final byte[] gzipped;
    private final String etag;
    // The gzipped body is another representation of the same script: a strong tag of its own.
    private final String gzipEtag;

    private WidgetScript(byte[] plain) {
        this.plain = plain;
        this.gzipped = gzip(plain);
        this.etag = EntityTags.of(plain);
        this.gzipEtag = etag.substring(0, etag.length() - 1) + "-gz\"";
    }

    static WidgetScript load() {
        try (InputStream in = WidgetScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + RESOURCE);
            }
            return new WidgetScript(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] gzipped() {
        return gzipped.clone();
    }

    void serve(RoutingContext ctx) {
        boolean gzip = acceptsGzip(ctx.request().getHeader("Accept-Encoding"));
        ctx.response()
                .putHeader("ETag", gzip ? gzipEtag : etag)
                .putHeader("Cache-Control", CACHE_CONTROL)
                .putHeader("Vary", "Accept-Encoding")
                // A classic <script src> needs neither; a page loading it with crossorigin or
                // integrity=, or one isolated with COEP, needs both.
                .putHeader("Access-Control-Allow-Origin", "*")
                .putHeader("Cross-Origin-Resource-Policy", "cross-origin")
                .putHeader("X-Content-Type-Options", "nosniff");
        if (EntityTags.noneMatchHits(ctx.request().getHeader("If-None-Match"), etag, gzipEtag)) {
            Responses.empty(ctx, 304);
            return;
        }
        if (gzip) {
            ctx.response().putHeader("Content-Encoding", "gzip");
        }
        ctx.response().setStatusCode(200).putHeader("Content-Type", "text/javascript; charset=utf-8")
                .end(Buffer.buffer(gzip ? gzipped : plain));
    }

    /** Whether the {@code Accept-Encoding} header lists gzip (or *) without {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            if (!name.equals("gzip") && !name.equals("*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace(" ", "");
                if (parameter.startsWith("q=")) {
                    refused = parameter.substring(2).matches("0(\\.0{0,3})?");
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(plain.length / 3);
        try (GZIPOutputStream out = new GZIPOutputStream(bytes) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION); // once per start, for every download after
            }
        }) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
