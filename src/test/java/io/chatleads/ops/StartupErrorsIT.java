package io.chatleads.ops;

import io.chatleads.support.JarProcess;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A settings error at start: the real jar exits non-zero with one clear line on stderr, no stack trace. */
class StartupErrorsIT {

    private static String sqliteUrl() throws Exception {
        return "jdbc:sqlite:" + Files.createTempDirectory("chatleads-it").resolve("x.db");
    }

    private static void assertOneLine(int expectedStatus, String expectedStart, Map<String, String> env, String... args) {
        try (JarProcess process = JarProcess.start(env, args)) {
            int status = process.waitFor(Duration.ofSeconds(90));
            String err = process.stderr();
            assertEquals(expectedStatus, status, err);
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertTrue(err.startsWith(expectedStart), err);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
            assertEquals("", process.stdout());
        }
    }

    @Test
    void badDatabaseUrl() {
        assertOneLine(1, "error: CHATLEADS_DB_URL must start with jdbc:sqlite: or jdbc:postgresql:",
                Map.of("CHATLEADS_DB_URL", "mysql://localhost/x"), "serve");
    }

    @Test
    void badPort() throws Exception {
        assertOneLine(1, "error: PORT must be an integer from 0 to 65535, got 'eighty'",
                Map.of("CHATLEADS_DB_URL", sqliteUrl(), "PORT", "eighty"), "serve");
        assertOneLine(2, "error: --port must be from 0 to 65535",
                Map.of("CHATLEADS_DB_URL", sqliteUrl()), "serve", "--port", "70000");
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertOneLine(1, "error: port " + taken.getLocalPort() + " is already in use",
                    Map.of("CHATLEADS_DB_URL", sqliteUrl()), "serve", "--port", Integer.toString(taken.getLocalPort()));
        }
    }

    @Test
    void databaseUnreachableAndItsPasswordMasked() {
        try (ServerSocket closed = new ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/chatleads?user=app&password=hunter2";
            assertOneLine(1, "error: cannot connect to database jdbc:postgresql://127.0.0.1:" + port + "/chatleads?user=app&password=****",
                    Map.of("CHATLEADS_DB_URL", url), "serve");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void badOperationsSettings() throws Exception {
        assertOneLine(1, "error: CHATLEADS_LOG_FORMAT must be one of text, json, got 'xml'",
                Map.of("CHATLEADS_DB_URL", sqliteUrl(), "CHATLEADS_LOG_FORMAT", "xml"), "serve");
        assertOneLine(1, "error: CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS must be an integer from 0 to 3600",
                Map.of("CHATLEADS_DB_URL", sqliteUrl(), "CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS", "-1"), "serve");
        assertOneLine(1, "error: CHATLEADS_MANAGEMENT_PORT must differ from the public port 8080",
                Map.of("CHATLEADS_DB_URL", sqliteUrl(), "CHATLEADS_MANAGEMENT_PORT", "8080"), "serve");
    }

    /**
     * A setting that only the HTTP server reads is refused like the others: status 1, its own
     * message, and before the database is opened. It was "cannot start the HTTP server on port …"
     * with status 2, after the SQLite file had been created and migrated.
     */
    @Test
    void aBadServerSettingIsRefusedBeforeTheDatabaseIsCreated() throws Exception {
        Path database = Files.createTempDirectory("chatleads-it").resolve("x.db");
        assertOneLine(1, "error: CHATLEADS_API_RATE_LIMIT must be an integer from 0 to 1000000, got '-1'",
                Map.of("CHATLEADS_DB_URL", "jdbc:sqlite:" + database, "CHATLEADS_API_RATE_LIMIT", "-1"), "serve", "--port", "0");
        assertOneLine(1, "error: CHATLEADS_WEBHOOK_CONCURRENCY must be an integer from 0 to 256, got '300'",
                Map.of("CHATLEADS_DB_URL", "jdbc:sqlite:" + database, "CHATLEADS_WEBHOOK_CONCURRENCY", "300"), "serve", "--port", "0");
        assertFalse(Files.exists(database), "no database file for a server that never started");
    }

    @Test
    void jsonLogsAreOneObjectPerLine() throws Exception {
        Path dir = Files.createTempDirectory("chatleads-it");
        try (JarProcess server = JarProcess.start(Map.of("CHATLEADS_DB_URL", "jdbc:sqlite:" + dir.resolve("x.db"),
                "CHATLEADS_LOG_FORMAT", "json"), "serve", "--port", "0")) {
            int port = server.awaitListening(Duration.ofSeconds(90));
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/health/live")).header("X-Request-Id", "json-line-1").build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            server.awaitStderr("json-line-1", Duration.ofSeconds(30));
            server.terminate();
            assertEquals(0, server.waitFor(Duration.ofSeconds(60)));
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            boolean sawAccess = false;
            for (String line : server.stderr().lines().toList()) {
                com.fasterxml.jackson.databind.JsonNode event = json.readTree(line);
                assertTrue(event.has("timestamp") && event.has("level") && event.has("logger") && event.has("message"), line);
                if (event.get("logger").asText().equals("chatleads.access")) {
                    sawAccess = true;
                    assertEquals("json-line-1", event.get("requestId").asText());
                    assertEquals(200, event.get("status").intValue());
                    assertEquals("GET /health/live 200", event.get("message").asText().replaceAll(" [0-9.]+ ms$", ""));
                }
            }
            assertTrue(sawAccess, server.stderr());
        }
    }
}
