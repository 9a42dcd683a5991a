package io.chatleads.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.chatleads.lead.NewLead;
import io.chatleads.support.CapturedLogs;
import io.chatleads.support.FaultyServer;
import io.chatleads.support.Fixture;
import io.chatleads.support.RawHttp;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, metrics, request ids, logs, security headers and limits, through real HTTP. */
abstract class AbstractOpsHttpTest extends ServerTestBase {

    private static final String LEADS = "/api/v1/get-leads";
    private static final Pattern GENERATED_ID = Pattern.compile("[A-Za-z0-9_-]{20}");

    private Fixture fixture;

    @Override
    protected Map<String, String> serverEnv() {
        return Map.of(
                "CHATLEADS_HTTP_MAX_BODY_BYTES", "4096",
                "CHATLEADS_HTTP_MAX_HEADER_BYTES", "8192",
                "CHATLEADS_HTTP_IDLE_TIMEOUT_SECONDS", "1");
    }

    @BeforeAll
    void createData() {
        fixture = Fixture.create(server.app(), 3);
    }

    private String leadsUrl() {
        return LEADS + "?chatbotId=" + fixture.chatbot().id();
    }

    @Test
    void liveAndReady() {
        HttpResponse<String> live = server.get("/health/live", null);
        assertEquals(200, live.statusCode());
        assertEquals("{\"status\":\"up\"}", live.body());
        HttpResponse<String> ready = server.get("/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("{\"status\":\"ready\"}", ready.body());
    }

    @Test
    void notReadyWhileAShippedMigrationIsNotApplied() {
        String version = server.app().database().shippedMigrationVersions().get(0);
        server.app().database().jdbi().useHandle(h -> h.execute(
                "UPDATE flyway_schema_history SET version = 'gone' WHERE version = ?", version));
        try {
            HttpResponse<String> ready = server.get("/health/ready", null);
            assertEquals(503, ready.statusCode());
            assertEquals("{\"status\":\"unavailable\",\"message\":\"migrations not applied: [" + version + "]\"}", ready.body());
            assertEquals(200, server.get("/health/live", null).statusCode(), "alive all the same");
        } finally {
            server.app().database().jdbi().useHandle(h -> h.execute(
                    "UPDATE flyway_schema_history SET version = ? WHERE version = 'gone'", version));
        }
        assertEquals(200, server.get("/health/ready", null).statusCode());
    }

    @Test
    void notReadyWhenTheDatabaseIsGoneAndWhileShuttingDown() {
        try (TestServer other = TestServer.start(database)) {
            other.app().database().dataSource().close();
            HttpResponse<String> ready = other.get("/health/ready", null);
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().startsWith("{\"status\":\"unavailable\",\"message\":\"database check failed"), ready.body());
        }
        try (TestServer other = TestServer.start(database)) {
            assertEquals(200, other.get("/health/ready", null).statusCode());
            // what close() does first: readiness turns 503 before the port stops accepting
            Health health = new Health(other.app().database(), 2000);
            health.shuttingDown();
            assertEquals(new Health.Readiness(false, "shutting down"), health.readiness());
            health.close();
        }
    }

    @Test
    void metricsCountRequestsByRouteTemplateAndStatus() {
        assertEquals(200, server.get(leadsUrl(), fixture.key()).statusCode());
        assertEquals(401, server.get(leadsUrl(), null).statusCode());
        assertEquals(404, server.get("/no/such/thing-12345", null).statusCode());
        String metrics = server.get("/metrics", null).body();
        assertTrue(count(metrics, "GET", LEADS, 200) >= 1, metrics);
        assertTrue(count(metrics, "GET", LEADS, 401) >= 1, metrics);
        assertTrue(count(metrics, "GET", "unmatched", 404) >= 1, metrics);
        assertTrue(metrics.contains("http_server_requests_seconds_bucket{method=\"GET\",route=\"" + LEADS + "\",status=\"200\",le="),
                "a latency histogram: " + metrics);
        assertFalse(metrics.contains("thing-12345"), "raw paths never become labels");
        assertFalse(metrics.contains(fixture.chatbot().id()), "nor query parameters");
    }

    @Test
    void metricsShowThePoolTheJvmAndLeadsCreated() {
        String metrics = server.get("/metrics", null).body();
        for (String name : List.of("hikaricp_connections_active{pool=\"chatleads\"}", "hikaricp_connections_idle{pool=\"chatleads\"}",
                "hikaricp_connections_pending{pool=\"chatleads\"}", "jvm_memory_used_bytes{", "jvm_gc_", "chatleads_lead_creations_total")) {
            assertTrue(metrics.contains(name), name + " in " + metrics);
        }
        double before = value(metrics, "chatleads_lead_creations_total");
        server.app().leads().create(new NewLead(fixture.chatbot().id(), fixture.owner().id(), "n", null, null, null, Instant.now()));
        // a lead rolled back with its transaction is not counted
        assertThrows(IllegalStateException.class, () -> server.app().database().jdbi().useTransaction(h -> {
            server.app().leads().insert(h, new NewLead(fixture.chatbot().id(), fixture.owner().id(), "r", null, null, null, Instant.now()));
            throw new IllegalStateException("roll back");
        }));
        double after = value(server.get("/metrics", null).body(), "chatleads_lead_creations_total");
        assertEquals(before + 1, after);
    }

    @Test
    void requestIdIsTakenWhenSaneElseGeneratedAndAlwaysReturned() {
        assertEquals("abc-123_x.y", requestId("abc-123_x.y"));
        assertEquals("a".repeat(128), requestId("a".repeat(128)));
        for (String insane : List.of("a".repeat(129), "has space", "semi;colon", "ünï", fixture.key())) {
            String id = requestId(insane);
            assertNotEquals(insane, id);
            assertTrue(GENERATED_ID.matcher(id).matches(), id);
        }
        Set<String> generated = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            generated.add(requestId(null));
        }
        assertEquals(5, generated.size(), "fresh ids differ");
    }

    private String requestId(String offered) {
        HttpRequest.Builder request = server.request("/health/live");
        if (offered != null) {
            request.header("X-Request-Id", offered);
        }
        return server.send(request.build()).headers().firstValue("X-Request-Id").orElseThrow();
    }

    @Test
    void everyLogLineOfARequestCarriesItsIdAndTheAccessLineSaysWhatHappened() {
        try (FaultyServer faulty = FaultyServer.failingEveryStatement(kind()); CapturedLogs logs = new CapturedLogs()) {
            TestServer broken = faulty.server();
            HttpResponse<String> failed = broken.send(broken.request(LEADS + "?chatbotId=" + faulty.chatbot().id())
                    .header("Authorization", "Bearer " + faulty.secret()).header("X-Request-Id", "trace-500").build());
            assertEquals(500, failed.statusCode());
            assertEquals("{\"message\":\"internal server error\"}", failed.body(), "no stack trace, no SQL");
            List<ILoggingEvent> ofRequest = logs.events().stream()
                    .filter(e -> "trace-500".equals(e.getMDCPropertyMap().get("requestId"))).toList();
            assertTrue(ofRequest.stream().anyMatch(e -> e.getLevel().toString().equals("ERROR") && e.getThrowableProxy() != null),
                    "the error, with its stack, carries the id: " + logs.rendered());
            ILoggingEvent access = ofRequest.stream().filter(e -> e.getLoggerName().equals("chatleads.access")).findFirst().orElseThrow();
            assertTrue(access.getFormattedMessage().matches("GET /api/v1/get-leads 500 [0-9.]+ ms"), access.getFormattedMessage());
            assertTrue(logs.events().stream().noneMatch(e -> e.getMDCPropertyMap().containsKey("requestId")
                    && !"trace-500".equals(e.getMDCPropertyMap().get("requestId"))), "no other id leaked in");
        }
        // after the request the worker thread's MDC is clean: a log line outside any request has no id
        try (CapturedLogs logs = new CapturedLogs()) {
            server.get("/health/live", null);
            org.slf4j.LoggerFactory.getLogger("test").info("outside a request");
            ILoggingEvent outside = logs.events().stream().filter(e -> e.getLoggerName().equals("test")).findFirst().orElseThrow();
            assertFalse(outside.getMDCPropertyMap().containsKey("requestId"));
        }
    }

    @Test
    void securityHeadersOnEveryAnswerAndNoServerBanner() {
        List<HttpResponse<String>> answers = List.of(
                server.get(leadsUrl(), fixture.key()),
                server.get(leadsUrl(), null),
                server.get("/nope", null),
                server.send(server.request(LEADS).POST(HttpRequest.BodyPublishers.noBody()).build()),
                server.get("/health/ready", null),
                server.get("/metrics", null),
                server.get("/docs", null));
        for (HttpResponse<String> answer : answers) {
            String what = answer.uri() + " " + answer.statusCode();
            assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(null), what);
            assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(null), what);
            assertTrue(answer.headers().firstValue("Server").isEmpty(), what + " " + answer.headers().map());
            assertTrue(answer.headers().firstValue("X-Powered-By").isEmpty(), what);
        }
        HttpResponse<String> asset = server.get("/webjars/swagger-ui/" + ApiDocs.swaggerUiVersion() + "/swagger-ui.css", null);
        assertEquals(200, asset.statusCode(), "Swagger UI's assets are served locally");
        assertEquals("nosniff", asset.headers().firstValue("X-Content-Type-Options").orElse(null));
    }

    @Test
    void docsPageLoadsNothingFromTheInternet() {
        String page = server.get("/docs", null).body();
        assertFalse(page.contains("http://") || page.contains("https://") || page.contains("//cdn"), page);
        Matcher sources = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page);
        int checked = 0;
        while (sources.find()) {
            assertEquals(200, server.get(sources.group(1), null).statusCode(), sources.group(1));
            checked++;
        }
        assertEquals(4, checked);
        assertTrue(page.contains("url: \"/openapi.json\""));
    }

    @Test
    void bodiesAndHeadersOverTheLimitsAreRefusedWithJson() {
        HttpResponse<String> big = server.send(server.request(LEADS).header("Authorization", "Bearer " + fixture.key())
                .method("GET", HttpRequest.BodyPublishers.ofString("{\"chatbotId\":\"" + "x".repeat(5000) + "\"}")).build());
        assertEquals(413, big.statusCode());
        assertEquals("{\"message\":\"request body is larger than 4096 bytes (CHATLEADS_HTTP_MAX_BODY_BYTES)\"}", big.body());
        assertTrue(big.headers().firstValue("X-Request-Id").isPresent());

        HttpResponse<String> headers = server.send(server.request(leadsUrl()).header("X-Padding", "p".repeat(10_000)).build());
        assertEquals(431, headers.statusCode());
        assertEquals("application/json", headers.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"message\":\"request headers are larger than 8192 bytes (CHATLEADS_HTTP_MAX_HEADER_BYTES)\"}", headers.body());

        // Jetty refused both before Javalin saw them; they are still measured
        String metrics = server.get("/metrics", null).body();
        assertTrue(metrics.contains("route=\"rejected\",status=\"413\""), metrics);
        assertTrue(metrics.contains("route=\"rejected\",status=\"431\""), metrics);
    }

    @Test
    void aBodyWithoutContentLengthIsCutOffAtTheLimit() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + leadsUrl() + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + fixture.key()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String chunk = "x".repeat(1000);
            try {
                for (int i = 0; i < 10; i++) {
                    out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the server may close the connection while we still send: also a refusal
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        }
    }

    /**
     * A route that never reads the request body still takes it in, so the connection stays usable.
     * Closed with the body still arriving, the late bytes would make the kernel reset the connection
     * and could cut off the end of a large answer (seen as a truncated /openapi.json, about 100 kB,
     * under a client that sends headers and body in separate writes). The server reads the body
     * before it routes the request, so here the body follows the headers after a pause.
     */
    @Test
    void aBodyTheRouteIgnoresIsStillReadAndTheConnectionStaysOpen() throws Exception {
        byte[] document = server.get("/openapi.json", null).body().getBytes(StandardCharsets.UTF_8);
        String body = "{\"ignored\":true}";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            out.write(("GET /openapi.json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(500);
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HTTP/1.1 200 OK", RawHttp.line(in));
            Map<String, String> headers = RawHttp.headers(in);
            assertEquals(document.length, RawHttp.body(in, headers).length, "the whole document arrived");

            out.write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HTTP/1.1 200 OK", RawHttp.line(in), "the same connection serves the next request");
        }
    }

    /**
     * A client that asks {@code Expect: 100-continue} sends its body only when invited. A route that
     * answers without reading it must not wait for it: the answer comes at once, uninvited.
     */
    @Test
    void aBodyThatWaitsForAnInvitationIsNotWaitedFor() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            out.write(("POST /api/v1/webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 500\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.line(in), "answered without the body being sent");
        }
    }

    /** A client that stops in the middle of its headers loses the connection after the idle timeout. */
    @Test
    void aClientStuckInItsHeadersIsDisconnected() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            try {
                byte[] rest = in.readAllBytes();
                // closed (possibly after a 408/400 answer), well before our own 30 s read timeout
                assertTrue(rest.length == 0 || new String(rest, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 4"));
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a half-sent request open for 30 s", e);
            } catch (java.net.SocketException reset) {
                // a reset is a disconnect too
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 30);
        }
    }

    @Test
    void managementPortServesHealthAndMetricsAndThePublicPortDoesNot() {
        try (TestServer split = TestServer.start(database, Map.of("CHATLEADS_MANAGEMENT_PORT", "0"))) {
            Integer management = split.server().managementPort();
            assertTrue(management != null && management != split.port());
            assertEquals(404, split.get("/metrics", null).statusCode());
            assertEquals(404, split.get("/health/ready", null).statusCode());
            assertEquals(200, split.get(leadsUrl(), fixture.key()).statusCode());
            TestServer.Client managementClient = split.on(management);
            assertEquals(200, managementClient.get("/health/live").statusCode());
            assertEquals(200, managementClient.get("/health/ready").statusCode());
            HttpResponse<String> metrics = managementClient.get("/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("route=\"" + LEADS + "\""), "public traffic is measured");
            assertEquals(404, managementClient.get(LEADS).statusCode(), "no API on the management port");
            assertTrue(metrics.headers().firstValue("X-Request-Id").isPresent());
        }
    }

    private static double count(String metrics, String method, String route, int status) {
        return value(metrics, "http_server_requests_seconds_count{method=\"" + method + "\",route=\"" + route + "\",status=\"" + status + "\"}");
    }

    private static double value(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
