package io.chatleads.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.support.Fixture;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code CHATLEADS_LOG_FORMAT=json} as a log stack reads it (issue 19): the encoder LogConfiguration
 * installs, fed by a real server's own logging on a real socket, each line parsed. One flat object
 * a line with an ISO-8601 timestamp, level, logger and message; on every access line the same typed
 * fields: method, route, status (a number), durationMs (a number), requestId. One subclass per database.
 */
abstract class AbstractJsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected abstract TestDatabase.Kind kind();

    @Test
    void everyLineIsOneFlatObjectAndEveryAccessLineHasTheSameTypedFields() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(LogConfiguration.json(context));
        appender.setOutputStream(bytes);
        appender.start();
        root.addAppender(appender);
        try (TestDatabase database = TestDatabase.create(kind()); TestServer server = TestServer.start(database)) {
            Fixture fixture = Fixture.create(server.app(), 3);
            send(server, "/health/live", null, "json-live");
            send(server, "/api/v1/get-leads?chatbotId=" + fixture.chatbot().id(), fixture.key(), "json-page");
            send(server, "/api/v1/get-leads?chatbotId=" + fixture.chatbot().id() + "&size=0", fixture.key(), "json-bad");
            send(server, "/api/v1/get-leads?chatbotId=x", "cl_not-a-key", "json-401");
            send(server, "/no/such/route", null, "json-404");
            oversizedHeaders(server.port());
            // A real internal fault, a 500 logged with its stack trace: the leads table is gone. (A database
            // that cannot be reached is a 503 now, and the page's owner is cached, so closing the pool is not one.)
            try (java.sql.Connection connection = server.app().database().dataSource().getConnection();
                 java.sql.Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE leads RENAME TO leads_gone");
            }
            send(server, "/api/v1/get-leads?chatbotId=" + fixture.chatbot().id() + "&page=2", fixture.key(), "json-500");
        } finally {
            root.detachAppender(appender);
            appender.stop();
        }

        List<JsonNode> access = new ArrayList<>();
        boolean sawStackTrace = false;
        String printed = bytes.toString(StandardCharsets.UTF_8);
        for (String line : printed.split("\n")) {
            JsonNode event = JSON.readTree(line);
            assertTrue(event.isObject(), line);
            for (Iterator<JsonNode> values = event.elements(); values.hasNext(); ) {
                assertTrue(values.next().isValueNode(), "flat: no nested objects or arrays: " + line);
            }
            assertTrue(event.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), line);
            Instant.parse(event.get("timestamp").asText());
            assertTrue(Set.of("INFO", "WARN", "ERROR").contains(event.path("level").asText()), line);
            assertTrue(event.path("logger").isTextual() && event.path("message").isTextual(), line);
            sawStackTrace |= event.path("stackTrace").isTextual();
            if (event.get("logger").asText().equals("chatleads.access")) {
                access.add(event);
            }
        }
        assertTrue(sawStackTrace, "the 500's stack trace is a field of its line: " + printed);

        List<String> ids = access.stream().map(e -> e.path("requestId").asText()).toList();
        assertTrue(ids.containsAll(List.of("json-live", "json-page", "json-bad", "json-401", "json-404", "json-500")), ids.toString());
        Set<String> fields = null;
        for (JsonNode line : access) {
            Set<String> names = new TreeSet<>();
            line.fieldNames().forEachRemaining(names::add);
            if (fields == null) {
                fields = names;
                assertTrue(names.containsAll(Set.of("method", "route", "status", "durationMs", "requestId")), names.toString());
            }
            assertEquals(fields, names, "the same fields on every access line: " + line);
            assertTrue(line.get("status").isInt(), "status is a number: " + line);
            assertTrue(line.get("durationMs").isNumber() && line.get("durationMs").asDouble() >= 0, "durationMs is a number: " + line);
            assertTrue(line.get("method").isTextual() && line.get("route").isTextual(), line.toString());
        }
        assertEquals(List.of(200, 200, 400, 401, 404, 500), statuses(access, "json-live", "json-page", "json-bad", "json-401", "json-404", "json-500"));
        JsonNode page = access.stream().filter(e -> e.get("requestId").asText().equals("json-page")).findFirst().orElseThrow();
        assertEquals("GET", page.get("method").asText());
        assertEquals("/api/v1/get-leads", page.get("route").asText());
        assertTrue(access.stream().anyMatch(e -> e.get("status").asInt() == 431 && e.get("route").asText().equals("rejected")),
                "the codec's refusals have the same fields: " + access);
    }

    private static List<Integer> statuses(List<JsonNode> access, String... ids) {
        List<Integer> statuses = new ArrayList<>();
        for (String id : ids) {
            statuses.add(access.stream().filter(e -> e.get("requestId").asText().equals(id)).findFirst().orElseThrow().get("status").asInt());
        }
        return statuses;
    }

    private static void send(TestServer server, String path, String key, String requestId) {
        HttpRequest.Builder request = server.request(path).header("X-Request-Id", requestId);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        server.send(request.GET().build());
    }

    /** Headers over the server's limit: the answer comes from the codec, before any route. */
    private static void oversizedHeaders(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            in.readAllBytes();
        }
    }
}
