package io.chatleads.http;

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
 * A file of the jar served whole from memory: read once, gzipped once at the best level (so a
 * browser that accepts gzip gets the small form for no CPU per request), each form with its own
 * strong ETag, and a 304 for a browser that has it already.
 */
public final class PackagedFile {

    private final String contentType;
    private final byte[] plain;
    private final byte[] gzipped;
    private final String etag;
    // The gzipped body is another representation of the same file: a strong tag of its own.
    private final String gzipEtag;

    PackagedFile(String contentType, byte[] plain) {
        this.contentType = contentType;
        this.plain = plain;
        this.gzipped = gzip(plain);
        this.etag = EntityTags.of(plain);
        this.gzipEtag = etag.substring(0, etag.length() - 1) + "-gz\"";
    }

    /** The resource at {@code path} (absolute, on the class path); fails when the jar has none. */
    public static PackagedFile load(String path, String contentType) {
        PackagedFile file = loadIfPresent(path, contentType);
        if (file == null) {
            throw new IllegalStateException("the jar has no " + path);
        }
        return file;
    }

    static PackagedFile loadIfPresent(String path, String contentType) {
        try (InputStream in = PackagedFile.class.getResourceAsStream(path)) {
            return in == null ? null : new PackagedFile(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] gzipped() {
        return gzipped.clone();
    }

    /** Answers with the file (or 304), gzipped when the request accepts it; {@code cacheControl} as given. */
    public void serve(RoutingContext ctx, String cacheControl) {
        boolean gzip = acceptsGzip(ctx.request().getHeader("Accept-Encoding"));
        ctx.response()
                .putHeader("ETag", gzip ? gzipEtag : etag)
                .putHeader("Cache-Control", cacheControl)
                .putHeader("Vary", "Accept-Encoding")
                .putHeader("X-Content-Type-Options", "nosniff");
        if (EntityTags.noneMatchHits(ctx.request().getHeader("If-None-Match"), etag, gzipEtag)) {
            Responses.empty(ctx, 304);
            return;
        }
        if (gzip) {
            // Named, so the server's own compression leaves it alone.
            ctx.response().putHeader("Content-Encoding", "gzip");
        }
        ctx.response().setStatusCode(200).putHeader("Content-Type", contentType)
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
