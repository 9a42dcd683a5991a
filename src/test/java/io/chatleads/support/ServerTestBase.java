package io.chatleads.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Base of HTTP suites: one real server on a fresh database of the subclass's kind per test class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerTestBase {

    public static final ObjectMapper JSON = new ObjectMapper();

    protected TestDatabase database;
    protected TestServer server;
    protected Chatleads app;

    protected abstract TestDatabase.Kind kind();

    /** Extra settings for the server (rate limits are off unless set here). */
    protected Map<String, String> serverEnv() {
        return Map.of();
    }

    @BeforeAll
    void startServer() {
        database = TestDatabase.create(kind());
        server = TestServer.start(database, serverEnv());
        app = server.app();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /**
     * How many times the server has taken a connection from its JDBC pool, from /metrics. The
     * background tasks (the revocation watch every 250 ms, the scrape's outbox gauge) add a few.
     */
    protected double jdbcUses() {
        Matcher count = Pattern.compile("hikaricp_connections_usage_seconds_count\\{pool=\"chatleads\"} ([0-9.eE+]+)")
                .matcher(server.get("/metrics", null).body());
        assertTrue(count.find(), "the pool's usage count is in /metrics");
        return Double.parseDouble(count.group(1));
    }

    protected Chatleads app() {
        return server.app();
    }

    /** An owner with one chatbot and one live key. */
    protected record Tenant(Owner owner, Chatbot chatbot, String secret) {
    }

    protected Tenant newTenant() {
        Owner owner = app().owners().create("owner-" + UUID.randomUUID() + "@example.com");
        Chatbot chatbot = app().chatbots().create(owner.id(), "bot");
        String secret = app().apiKeys().create(owner.id(), "test").secret();
        return new Tenant(owner, chatbot, secret);
    }

    public static JsonNode responseJson(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** The status, and a {"message"} that mentions what was wrong. */
    public static void assertMessage(HttpResponse<String> response, int status, String mentions) {
        assertEquals(status, response.statusCode(), response.body());
        String message = responseJson(response).path("message").asText();
        assertTrue(message.contains(mentions), "message '" + message + "' should mention '" + mentions + "'");
    }
}
