package io.chatleads.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.Lead;
import io.chatleads.owner.Owner;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook API and delivery through real HTTP, against real local receivers; one subclass per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractWebhookHttpTest {

    /** Loopback receivers need the private-address rule lifted; retries are compressed to milliseconds. */
    static final Map<String, String> FAST_DELIVERY = Map.of(
            EndpointPolicy.ALLOW_PRIVATE_SETTING, "true",
            "CHATLEADS_WEBHOOK_POLL_MS", "20",
            "CHATLEADS_WEBHOOK_RETRY_BASE_MS", "20",
            "CHATLEADS_WEBHOOK_MAX_ATTEMPTS", "3");

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestDatabase database;
    private TestServer server;
    private Receiver receiver;

    private Owner owner;
    private Chatbot chatbot;
    private String key;

    protected abstract TestDatabase.Kind kind();

    @BeforeAll
    void startServer() {
        database = TestDatabase.create(kind());
        server = TestServer.start(database, FAST_DELIVERY);
    }

    @AfterAll
    void stopServer() {
        server.close();
        database.close();
    }

    @BeforeEach
    void freshOwnerAndReceiver() {
        Chatleads app = server.app();
        owner = app.owners().create(UUID.randomUUID() + "@example.com");
        chatbot = app.chatbots().create(owner.id(), "bot");
        key = app.apiKeys().create(owner.id(), "test").secret();
        receiver = Receiver.ok();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    /** A widget submission through the server's real lead-capture endpoint; the stored lead back. */
    static Lead submitLead(TestServer server, Chatbot chatbot, String email) {
        String body = "{\"name\":\"Grace Hopper\",\"email\":\"" + email
                + "\",\"phone\":\"+14155550123\",\"conversationId\":\"conv-" + email + "\"}";
        HttpResponse<String> response = server.send(server.request("/api/v1/chatbots/" + chatbot.id() + "/leads")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 201) {
            throw new AssertionError("lead submission answered " + response.statusCode() + ": " + response.body());
        }
        try {
            long id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("id").asLong();
            return server.app().leads().find(id).orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> post(TestServer to, String path, String bearer, String body) {
        return to.send(to.request(path).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> delete(String path, String bearer) {
        return server.send(server.request(path).header("Authorization", "Bearer " + bearer).DELETE().build());
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private JsonNode register(String endpoint) {
        HttpResponse<String> response = post(server, "/api/v1/webhooks", key,
                "{\"endpoint\":\"" + endpoint + "\",\"events\":[\"leads.submit\"]}");
        assertEquals(201, response.statusCode(), response.body());
        return json(response);
    }

    private JsonNode deliveries(String webhookId) {
        HttpResponse<String> response = server.get("/api/v1/webhooks/" + webhookId + "/deliveries", key);
        assertEquals(200, response.statusCode(), response.body());
        return json(response).get("data");
    }

    private JsonNode awaitDeliveryStatus(String webhookId, String status) {
        JsonNode[] last = new JsonNode[1];
        Receiver.await("a delivery of " + webhookId + " to be " + status, () -> {
            JsonNode data = deliveries(webhookId);
            last[0] = data.size() == 0 ? null : data.get(0);
            return last[0] != null && last[0].get("status").asText().equals(status);
        });
        return last[0];
    }

    @Test
    void registerListAndDelete() {
        JsonNode created = register(receiver.url("/hook"));
        String id = created.get("id").asText();
        assertTrue(id.startsWith("wh_"));
        assertTrue(created.get("secret").asText().startsWith("whsec_"));
        assertEquals(receiver.url("/hook"), created.get("endpoint").asText());
        assertEquals("[\"leads.submit\"]", created.get("events").toString());
        assertTrue(created.get("chatbotId").isNull());

        JsonNode listed = json(server.get("/api/v1/webhooks", key)).get("data");
        assertEquals(1, listed.size());
        assertEquals(id, listed.get(0).get("id").asText());
        assertFalse(listed.get(0).has("secret"), "the secret is shown only at creation");

        assertEquals(204, delete("/api/v1/webhooks/" + id, key).statusCode());
        assertEquals(0, json(server.get("/api/v1/webhooks", key)).get("data").size());
        HttpResponse<String> again = delete("/api/v1/webhooks/" + id, key);
        assertEquals(404, again.statusCode());
        assertEquals("webhook '" + id + "' not found", json(again).get("message").asText());
    }

    @Test
    void metricsShowTheOutboxDepthAndDeliveryOutcomes() {
        register(receiver.url("/metrics-hook"));
        submitLead(server, chatbot, "metered@example.com");
        receiver.awaitRequests(1);
        Receiver.await("the success to be counted", () -> metric("chatleads_webhook_attempts_total{outcome=\"success\"}") >= 1);
        assertTrue(metric("chatleads_webhook_outbox_depth") >= 0);
        assertTrue(metric("chatleads_webhook_attempts_total{outcome=\"failure\"}") >= 0);
        assertTrue(metric("chatleads_webhook_deliveries_failed_total") >= 0);
        assertTrue(metric("chatleads_webhook_attempts_in_flight") >= 0);
    }

    /** The value of one Prometheus sample on /metrics; fails when the series is absent. */
    private double metric(String series) {
        String text = server.get("/metrics", null).body();
        return text.lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + " on /metrics"));
    }

    @Test
    void aWebhookForOneChatbotGetsOnlyThatChatbotsLeads() {
        Chatbot other = server.app().chatbots().create(owner.id(), "other");
        HttpResponse<String> response = post(server, "/api/v1/webhooks", key,
                "{\"endpoint\":\"" + receiver.url("/one") + "\",\"chatbotId\":\"" + other.id() + "\"}");
        assertEquals(201, response.statusCode(), response.body());
        assertEquals(other.id(), json(response).get("chatbotId").asText());
        submitLead(server, chatbot, "not-for-it@example.com");
        submitLead(server, other, "for-it@example.com");
        List<Receiver.Received> got = receiver.awaitRequests(1);
        String webhookId = json(response).get("id").asText();
        awaitDeliveryStatus(webhookId, "succeeded");
        assertEquals(1, deliveries(webhookId).size());
        assertTrue(got.get(0).body().contains("for-it@example.com"));
    }

    @Test
    void anotherOwnersWebhookLooksMissing() {
        String id = register(receiver.url("/hook")).get("id").asText();
        submitLead(server, chatbot, "a@example.com");
        String deliveryId = awaitDeliveryStatus(id, "succeeded").get("id").asText();

        Owner stranger = server.app().owners().create(UUID.randomUUID() + "@example.com");
        String strangerKey = server.app().apiKeys().create(stranger.id(), "x").secret();
        for (String webhookId : List.of(id, "wh_doesnotexist")) {
            String expected = "webhook '" + webhookId + "' not found";
            HttpResponse<String> deleted = delete("/api/v1/webhooks/" + webhookId, strangerKey);
            assertEquals(404, deleted.statusCode());
            assertEquals(expected, json(deleted).get("message").asText());
            HttpResponse<String> listed = server.get("/api/v1/webhooks/" + webhookId + "/deliveries", strangerKey);
            assertEquals(404, listed.statusCode());
            assertEquals(expected, json(listed).get("message").asText());
            HttpResponse<String> retried = post(server, "/api/v1/webhooks/" + webhookId + "/deliveries/" + deliveryId + "/retry",
                    strangerKey, "");
            assertEquals(404, retried.statusCode());
            assertEquals(expected, json(retried).get("message").asText());
        }
        assertEquals(0, json(server.get("/api/v1/webhooks", strangerKey)).get("data").size());

        HttpResponse<String> foreignChatbot = post(server, "/api/v1/webhooks", strangerKey,
                "{\"endpoint\":\"" + receiver.url("/x") + "\",\"chatbotId\":\"" + chatbot.id() + "\"}");
        assertEquals(404, foreignChatbot.statusCode());
        assertEquals("chatbot '" + chatbot.id() + "' not found", json(foreignChatbot).get("message").asText());
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        Map<String, String> cases = new HashMap<>(Map.of(
                "{}", "endpoint",
                "{\"endpoint\":42}", "endpoint",
                "{\"endpoint\":\"ftp://example.com/\"}", "endpoint",
                "{\"endpoint\":\"/relative\"}", "endpoint",
                "{\"endpoint\":\"https://example.com/\",\"events\":[\"leads.delete\"]}", "events",
                "{\"endpoint\":\"https://example.com/\",\"events\":\"leads.submit\"}", "events",
                "{\"endpoint\":\"https://example.com/\",\"events\":[]}", "events",
                "{\"endpoint\":\"https://example.com/\",\"chatbotId\":7}", "chatbotId",
                "not json", "not valid JSON",
                "[]", "JSON object"));
        // U+0000 was a 500 on PostgreSQL, an unpaired surrogate was stored as '?', and what
        // followed the first JSON value was ignored.
        cases.put("{\"endpoint\":\"https://example.com/\",\"chatbotId\":\"a\\u0000\"}", "chatbotId must not contain the NUL");
        cases.put("{\"endpoint\":\"https://example.com/\\ud800\"}", "endpoint must be valid Unicode");
        cases.put("{\"endpoint\":\"https://example.com/\"} {}", "JSON");
        cases.put("{\"endpoint\":\"https://example.com:99999/\"}", "endpoint port must be 1 to 65535");
        cases.forEach((body, field) -> {
            HttpResponse<String> response = post(server, "/api/v1/webhooks", key, body);
            assertEquals(400, response.statusCode(), body);
            assertTrue(json(response).get("message").asText().contains(field), body + " -> " + response.body());
        });
        // The body rules of every JSON route: it was read whatever the Content-Type said.
        HttpResponse<String> plainText = server.send(server.request("/api/v1/webhooks")
                .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"https://example.com/\"}"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "text/plain").build());
        assertEquals(415, plainText.statusCode(), plainText.body());
        assertTrue(json(plainText).get("message").asText().startsWith("Content-Type must be application/json"), plainText.body());
        HttpResponse<String> limit = server.get("/api/v1/webhooks/" + register(receiver.url("/")).get("id").asText()
                + "/deliveries?limit=0", key);
        assertEquals(400, limit.statusCode());
        assertTrue(json(limit).get("message").asText().contains("limit"));
        HttpResponse<String> twice = server.get("/api/v1/webhooks/" + register(receiver.url("/")).get("id").asText()
                + "/deliveries?limit=1&limit=2", key);
        assertEquals(400, twice.statusCode(), twice.body());
        assertEquals("limit is given more than once", json(twice).get("message").asText());
        HttpResponse<String> noKey = server.send(server.request("/api/v1/webhooks").GET().build());
        assertEquals(401, noKey.statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9/hook", "http://localhost/hook", "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.8/", "http://192.168.0.10/", "http://100.64.1.1/", "http://[::1]/hook", "http://[fd00::1]/"})
    void privateEndpointsAreRefusedAtRegistration(String endpoint) {
        try (TestServer strict = TestServer.start(database, Map.of())) {
            HttpResponse<String> response = post(strict, "/api/v1/webhooks", key, "{\"endpoint\":\"" + endpoint + "\"}");
            assertEquals(400, response.statusCode(), response.body());
            assertTrue(json(response).get("message").asText().startsWith("endpoint host"), response.body());
        }
        assertEquals(0, json(server.get("/api/v1/webhooks", key)).get("data").size());
    }

    /** A host that turned private after registration (say, its DNS changed) is refused before sending. */
    @Test
    void privateEndpointsAreRefusedAgainAtDelivery() {
        try (TestDatabase own = TestDatabase.create(kind());
             TestServer strict = TestServer.start(own, Map.of("CHATLEADS_WEBHOOK_POLL_MS", "20"))) {
            Chatleads app = strict.app();
            Owner o = app.owners().create("strict@example.com");
            Chatbot bot = app.chatbots().create(o.id(), "bot");
            String ownKey = app.apiKeys().create(o.id(), "k").secret();
            // Stored without the registration check, as if it had been public when registered.
            Webhook hook = app.webhooks().create(o.id(), null, receiver.url("/hook"), WebhookRepository.EVENT_TYPES).webhook();
            submitLead(strict, bot, "x@example.com");

            JsonNode[] delivery = new JsonNode[1];
            Receiver.await("a refused attempt", () -> {
                JsonNode data = json(strict.get("/api/v1/webhooks/" + hook.id() + "/deliveries", ownKey)).get("data");
                delivery[0] = data.get(0);
                return delivery[0].get("attempts").size() > 0;
            });
            JsonNode attempt = delivery[0].get("attempts").get(0);
            assertTrue(attempt.get("statusCode").isNull());
            assertTrue(attempt.get("error").asText().startsWith("refused: endpoint host '127.0.0.1' resolves to 127.0.0.1"),
                    attempt.toString());
            assertEquals(0, receiver.received().size(), "nothing was sent");
        }
    }

    @Test
    void aReceiverThatFailsTwiceGetsThreeAttemptsWithOneIdAndValidSignatures() throws Exception {
        receiver.respondWith(n -> n <= 2 ? 500 : 200);
        JsonNode created = register(receiver.url("/hook?source=chatleads"));
        String secret = created.get("secret").asText();
        Lead lead = submitLead(server, chatbot, "grace@example.com");

        JsonNode delivery = awaitDeliveryStatus(created.get("id").asText(), "succeeded");
        List<Receiver.Received> got = receiver.received();
        assertEquals(3, got.size());
        String webhookId = got.get(0).header("webhook-id");
        assertEquals(delivery.get("id").asText(), webhookId);
        for (Receiver.Received request : got) {
            assertEquals(webhookId, request.header("webhook-id"), "the same webhook-id on every attempt");
            assertEquals("application/json", request.header("content-type"));
            assertEquals(got.get(0).body(), request.body(), "every attempt sends the same bytes");
            // Verified with the test's own HMAC code, as a receiver would.
            assertEquals(hex(hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), request.body())),
                    request.header("x-chatbase-signature"));
            String signed = webhookId + "." + request.header("webhook-timestamp") + "." + request.body();
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            assertEquals("v1," + Base64.getEncoder().encodeToString(hmac("HmacSHA256", key, signed)),
                    request.header("webhook-signature"));
            long age = Instant.now().getEpochSecond() - Long.parseLong(request.header("webhook-timestamp"));
            assertTrue(age >= 0 && age < 600, "the timestamp is the attempt's, in seconds");
        }

        JsonNode body = JSON.readTree(got.get(2).body());
        assertEquals("leads.submit", body.get("eventType").asText());
        assertEquals(chatbot.id(), body.get("chatbotId").asText());
        JsonNode payload = body.get("payload");
        assertEquals("conv-grace@example.com", payload.get("conversationId").asText());
        assertEquals("grace@example.com", payload.get("customerEmail").asText());
        assertEquals("Grace Hopper", payload.get("customerName").asText());
        assertEquals("+14155550123", payload.get("customerPhone").asText());
        assertEquals(lead.id(), payload.get("leadId").asLong());
        assertTrue(payload.get("leadId").isIntegralNumber());

        // The deliveries API shows every attempt.
        assertEquals(3, delivery.get("attemptCount").asInt());
        assertEquals(lead.id(), delivery.get("leadId").asLong());
        assertEquals(200, delivery.get("lastStatusCode").asInt());
        assertTrue(delivery.get("lastError").isNull());
        assertTrue(delivery.get("nextAttemptAt").isNull());
        JsonNode attempts = delivery.get("attempts");
        assertEquals(List.of(1, 2, 3), ints(attempts, "attempt"));
        assertEquals(List.of(500, 500, 200), ints(attempts, "statusCode"));
        assertEquals("HTTP 500", attempts.get(0).get("error").asText());
        assertTrue(attempts.get(2).get("error").isNull());
        for (JsonNode attempt : attempts) {
            assertTrue(attempt.get("durationMs").asLong() >= 0);
            assertTrue(attempt.get("startedAt").asText().endsWith("Z"));
        }
    }

    /** POST /api/v1/webhooks/{id}/rotate-secret: a receiver with either secret verifies the next event. */
    @Test
    void aRotatedSecretSignsBesideTheOldOneForTheGracePeriod() throws Exception {
        JsonNode created = register(receiver.url("/hook"));
        String id = created.get("id").asText();
        String old = created.get("secret").asText();

        HttpResponse<String> rotated = post(server, "/api/v1/webhooks/" + id + "/rotate-secret", key, "");
        assertEquals(200, rotated.statusCode(), rotated.body());
        String fresh = json(rotated).get("secret").asText();
        assertTrue(fresh.startsWith("whsec_") && !fresh.equals(old));
        assertEquals(id, json(rotated).get("id").asText());
        Instant until = Instant.parse(json(rotated).get("previousSecretExpiresAt").asText());
        long hours = java.time.Duration.between(Instant.now(), until).toMinutes();
        assertTrue(hours > 23 * 60 && hours <= 24 * 60, "the default grace period is 24 h: " + until);
        assertFalse(server.send(server.request("/api/v1/webhooks").header("Authorization", "Bearer " + key).GET().build())
                .body().contains("whsec_"), "the list still shows no secret");

        submitLead(server, chatbot, "rotated@example.com");
        Receiver.Received event = receiver.awaitRequests(1).get(0);
        assertTrue(AbstractWebhookRepositoryTest.verifies(old, event), "a receiver that still has the old secret");
        assertTrue(AbstractWebhookRepositoryTest.verifies(fresh, event), "a receiver that has the new secret");
        assertEquals(hex(hmac("HmacSHA1", fresh.getBytes(StandardCharsets.UTF_8), event.body())), event.header("x-chatbase-signature"),
                "the one-signature header takes the new secret");

        String strangersKey = server.app().apiKeys().create(server.app().owners().create(UUID.randomUUID() + "@example.com").id(), "k")
                .secret();
        HttpResponse<String> strangers = post(server, "/api/v1/webhooks/" + id + "/rotate-secret", strangersKey, "");
        assertEquals(404, strangers.statusCode());
        assertEquals("webhook '" + id + "' not found", json(strangers).get("message").asText());
        assertEquals(404, post(server, "/api/v1/webhooks/wh_missing/rotate-secret", key, "").statusCode());
    }

    @Test
    void aDeliveryThatUsesUpItsAttemptsIsFailedVisibleAndRetryable() {
        receiver.respondWith(n -> 503);
        String id = register(receiver.url("/hook")).get("id").asText();
        submitLead(server, chatbot, "late@example.com");

        JsonNode failed = awaitDeliveryStatus(id, "failed");
        assertEquals(3, failed.get("attemptCount").asInt(), "CHATLEADS_WEBHOOK_MAX_ATTEMPTS=3 in this suite");
        assertEquals(503, failed.get("lastStatusCode").asInt());
        assertEquals("HTTP 503", failed.get("lastError").asText());
        assertTrue(failed.get("nextAttemptAt").isNull());
        assertEquals(3, receiver.received().size());

        receiver.respondWith(n -> 204);
        String deliveryId = failed.get("id").asText();
        HttpResponse<String> retried = post(server, "/api/v1/webhooks/" + id + "/deliveries/" + deliveryId + "/retry", key, "");
        assertEquals(202, retried.statusCode(), retried.body());
        assertEquals(deliveryId, json(retried).get("id").asText());

        JsonNode succeeded = awaitDeliveryStatus(id, "succeeded");
        assertEquals(4, succeeded.get("attemptCount").asInt());
        assertEquals(List.of(503, 503, 503, 204), ints(succeeded.get("attempts"), "statusCode"));
        assertEquals(deliveryId, receiver.received().get(3).header("webhook-id"));

        HttpResponse<String> unknown = post(server, "/api/v1/webhooks/" + id + "/deliveries/msg_nope/retry", key, "");
        assertEquals(404, unknown.statusCode());
        assertEquals("delivery 'msg_nope' not found", json(unknown).get("message").asText());
    }

    @Test
    void anUnreachableEndpointsErrorIsShown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String id = register("http://127.0.0.1:" + closedPort + "/gone").get("id").asText();
        submitLead(server, chatbot, "x@example.com");
        JsonNode failed = awaitDeliveryStatus(id, "failed");
        for (JsonNode attempt : failed.get("attempts")) {
            assertTrue(attempt.get("statusCode").isNull());
            assertTrue(attempt.get("error").asText().startsWith("cannot connect"), attempt.toString());
            assertFalse(attempt.get("error").asText().contains("ConnectException"), "a reason, not a class name: " + attempt);
        }
        assertNull(failed.get("lastStatusCode").numberValue());
    }

    private static List<Integer> ints(JsonNode array, String field) {
        List<Integer> values = new ArrayList<>();
        array.forEach(node -> values.add(node.get(field).asInt()));
        return values;
    }

    static byte[] hmac(String algorithm, byte[] key, String message) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
