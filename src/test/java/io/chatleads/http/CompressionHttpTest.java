package io.chatleads.http;

import io.chatleads.lead.NewLead;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compression through a real server: the large answers (the API description, the Swagger UI bundle, a
 * page of many leads, a CSV export, which streams) are gzipped for a client that asks, to exactly the
 * bytes it would get uncompressed; small ones and clients that do not ask get them as they are; and
 * {@code CHATLEADS_HTTP_COMPRESSION=false} turns it off.
 */
class CompressionHttpTest extends ServerTestBase {

    private Tenant tenant;

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }

    @BeforeAll
    void leads() {
        tenant = newTenant();
        Instant start = Instant.parse("2024-05-01T00:00:00Z");
        for (int i = 0; i < 300; i++) {
            app().leads().create(new NewLead(tenant.chatbot().id(), tenant.owner().id(), "Lead " + i,
                    "lead" + i + "@example.com", "+4930123456" + (i % 10), null, start.plusSeconds(60L * i)));
        }
    }

    private static HttpResponse<byte[]> get(TestServer on, String path, String... headers) {
        HttpRequest.Builder request = on.request(path).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return on.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String swaggerBundle() {
        String docs = server.get("/docs", null).body();
        Matcher script = Pattern.compile("src=\"(/webjars/[^\"]+/swagger-ui-bundle\\.js)\"").matcher(docs);
        assertTrue(script.find(), docs);
        return script.group(1);
    }

    private String getLeads(String query) {
        return "/api/v1/get-leads?chatbotId=" + tenant.chatbot().id() + query;
    }

    @Test
    void largeAnswersAreGzippedForAClientThatAsksToTheSameBytes() {
        String bearer = "Bearer " + tenant.secret();
        Map<String, List<String>> requests = Map.of(
                "/openapi.json", List.of(),
                swaggerBundle(), List.of(),
                getLeads("&size=300"), List.of("Authorization", bearer),
                getLeads(""), List.of("Authorization", bearer, "Accept", "text/csv"));
        requests.forEach((path, headers) -> {
            HttpResponse<byte[]> plain = get(server, path, headers.toArray(String[]::new));
            List<String> asking = new java.util.ArrayList<>(headers);
            asking.addAll(List.of("Accept-Encoding", "gzip, deflate, br"));
            HttpResponse<byte[]> gzipped = get(server, path, asking.toArray(String[]::new));
            assertEquals(200, plain.statusCode(), path);
            assertEquals(200, gzipped.statusCode(), path);
            assertFalse(plain.headers().firstValue("Content-Encoding").isPresent(), path + " to a client that does not ask");
            assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(null), path);
            assertArrayEquals(plain.body(), gunzip(gzipped.body()), path);
            assertTrue(gzipped.body().length * 2 < plain.body().length,
                    path + ": " + gzipped.body().length + " bytes gzipped of " + plain.body().length);
            assertTrue(gzipped.headers().firstValue("Vary").orElse("").contains("Accept-Encoding"), path);
        });
    }

    @Test
    void aCsvExportStreamsCompressed() {
        HttpResponse<byte[]> export = get(server, getLeads(""), "Authorization", "Bearer " + tenant.secret(),
                "Accept", "text/csv", "Accept-Encoding", "gzip");
        assertFalse(export.headers().firstValue("Content-Length").isPresent(), "streamed, so no length");
        String csv = new String(gunzip(export.body()), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(301, csv.lines().count(), "a header and every lead");
    }

    @Test
    void smallAnswersGoAsTheyAre() {
        List<HttpResponse<byte[]>> small = List.of(
                get(server, getLeads("&size=1"), "Authorization", "Bearer " + tenant.secret(), "Accept-Encoding", "gzip"),
                get(server, getLeads(""), "Authorization", "Bearer cl_wrong", "Accept-Encoding", "gzip"),
                get(server, "/health/live", "Accept-Encoding", "gzip"));
        for (HttpResponse<byte[]> answer : small) {
            assertTrue(answer.body().length < ServerLimits.DEFAULT_COMPRESSION_MIN_BYTES, answer.uri() + ": " + answer.body().length);
            assertFalse(answer.headers().firstValue("Content-Encoding").isPresent(), answer.uri().toString());
            assertTrue(answer.headers().firstValue("Vary").orElse("").contains("Accept-Encoding"),
                    "it could have been compressed were it larger: " + answer.uri());
        }
    }

    @Test
    void aCorsAnswerVariesByOriginAndByEncoding() {
        HttpResponse<byte[]> widget = get(server, "/widget/v1.js", "Accept-Encoding", "gzip", "Origin", "https://shop.example");
        assertEquals("gzip", widget.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals(1, widget.headers().allValues("Content-Encoding").size(), "gzipped once, by the route");
        assertTrue(widget.headers().firstValue("Vary").orElse("").contains("Accept-Encoding"));
    }

    @Test
    void turnedOffNothingIsCompressed() {
        try (TestServer off = TestServer.start(database, Map.of("CHATLEADS_HTTP_COMPRESSION", "false"))) {
            HttpResponse<byte[]> description = get(off, "/openapi.json", "Accept-Encoding", "gzip");
            assertEquals(200, description.statusCode());
            assertFalse(description.headers().firstValue("Content-Encoding").isPresent());
            assertFalse(description.headers().firstValue("Vary").orElse("").contains("Accept-Encoding"));
        }
    }

    @Test
    void webJarFilesComeFromMemoryAndAreRevalidated() {
        String bundle = swaggerBundle();
        HttpResponse<byte[]> first = get(server, bundle, "Accept-Encoding", "gzip");
        assertEquals("public, max-age=31536000, immutable", first.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("text/javascript; charset=utf-8", first.headers().firstValue("Content-Type").orElse(null));
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get(server, bundle, "Accept-Encoding", "gzip", "If-None-Match", etag).statusCode());

        for (String missing : List.of("/webjars/swagger-ui/0.0.0/nothing.js", "/webjars/", "/webjars/swagger-ui/",
                "/webjars/..%2f..%2fMETA-INF/MANIFEST.MF", "/webjars/swagger-ui/..%5c..%5cMETA-INF/MANIFEST.MF")) {
            HttpResponse<byte[]> answer = get(server, missing);
            assertEquals(404, answer.statusCode(), missing);
            assertTrue(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8).contains("\"message\""), missing);
        }
    }
}
