package io.chatleads.widget;

import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /widget/v1.js from a real server: small, gzipped when asked, long-cached and revalidated by its ETag. */
class WidgetScriptHttpTest extends ServerTestBase {

    /** The budget: a site pays for every byte of it on every first visit. */
    static final int MAX_GZIPPED_BYTES = 12 * 1024;

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }

    private HttpResponse<byte[]> get(String... headers) {
        HttpRequest.Builder request = server.request(WidgetRoutes.SCRIPT_PATH).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return server.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void theScriptStaysWithinItsGzippedBudget() {
        int size = WidgetScript.load().gzipped().length;
        assertTrue(size <= MAX_GZIPPED_BYTES, "widget/v1.js is " + size + " bytes gzipped, over " + MAX_GZIPPED_BYTES);
    }

    @Test
    void servedGzippedToBrowsersAndPlainToOthers() throws IOException {
        HttpResponse<byte[]> plain = get();
        assertEquals(200, plain.statusCode());
        assertEquals("text/javascript; charset=utf-8", plain.headers().firstValue("Content-Type").orElse(null));
        assertFalse(plain.headers().firstValue("Content-Encoding").isPresent());
        assertTrue(new String(plain.body(), StandardCharsets.UTF_8).contains("chatleads"));

        HttpResponse<byte[]> gzipped = get("Accept-Encoding", "gzip, deflate, br");
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(gzipped.body().length <= MAX_GZIPPED_BYTES, gzipped.body().length + " bytes on the wire");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
        assertNotEquals(plain.headers().firstValue("ETag"), gzipped.headers().firstValue("ETag"), "two representations, two tags");
        assertEquals("Accept-Encoding", gzipped.headers().firstValue("Vary").orElse(null));

        assertFalse(get("Accept-Encoding", "gzip;q=0, identity").headers().firstValue("Content-Encoding").isPresent());
        assertEquals("gzip", get("Accept-Encoding", "*").headers().firstValue("Content-Encoding").orElse(null));
    }

    @Test
    void cachedForADayThenRevalidated() {
        HttpResponse<byte[]> first = get();
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
        assertEquals(WidgetScript.CACHE_CONTROL, first.headers().firstValue("Cache-Control").orElse(null));
        assertTrue(WidgetScript.CACHE_CONTROL.contains("max-age=86400"));
        assertEquals("*", first.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("nosniff", first.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertFalse(first.headers().firstValue("Set-Cookie").isPresent());

        HttpResponse<byte[]> again = get("If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(304, get("If-None-Match", "W/" + etag).statusCode());
        assertEquals(200, get("If-None-Match", "\"0000\"").statusCode());
    }
}
