package io.chatleads.lead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.app.Chatleads;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotSettings;
import io.chatleads.owner.Owner;
import io.chatleads.support.FaultyServer;
import io.chatleads.support.Poll;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/v1/chatbots/{id}/leads through a real server; subclassed once per database. */
abstract class AbstractLeadCaptureHttpTest extends ServerTestBase {

    Owner owner;
    Chatbot chatbot;
    String secret;

    @BeforeEach
    void freshChatbot() {
        owner = app.owners().create("owner-" + UUID.randomUUID() + "@example.com");
        chatbot = app.chatbots().create(owner.id(), "bot");
        secret = app.apiKeys().create(owner.id(), "k").secret();
    }

    String path() {
        return "/api/v1/chatbots/" + chatbot.id() + "/leads";
    }

    HttpResponse<String> post(String body, String... headers) {
        HttpRequest.Builder b = server.request(path()).POST(HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            typed |= headers[i].equalsIgnoreCase("Content-Type");
            b.header(headers[i], headers[i + 1]);
        }
        if (!typed) {
            b.header("Content-Type", "application/json");
        }
        return server.send(b.build());
    }

    long leadCount() {
        return app.leads().rangeAfter(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, null, 100_000).size();
    }

    /**
     * On PostgreSQL a widget submission to a chatbot in the cache is stored through the event
     * loop's own connections, never the JDBC pool; on SQLite each one takes a pool connection.
     */
    @Test
    void capturesForACachedChatbotUseTheJdbcPoolOnlyOnSqlite() {
        assertEquals(201, post("{\"email\":\"first@example.com\"}").statusCode(), "the first puts the chatbot in the cache");
        double before = jdbcUses();
        for (int i = 0; i < 40; i++) {
            assertEquals(201, post("{\"email\":\"lead" + i + "@example.com\"}").statusCode());
        }
        double used = jdbcUses() - before;
        if (kind() == TestDatabase.Kind.POSTGRES) {
            assertTrue(used < 20, "40 captures took " + used + " JDBC connections");
        } else {
            assertTrue(used >= 40, "40 captures took only " + used + " JDBC connections");
        }
        assertEquals(41, leadCount());
    }

    @Test
    void widgetSubmissionCreatesLeadAndAnswersSixFieldsWithoutTheOwner() {
        HttpResponse<String> response = post("""
                {"name":"  Ada Lovelace ","email":"Ada@Example.COM","phone":"+44 20 7946 0958","conversationId":"c-1","extra":1}
                """);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode lead = responseJson(response);
        // A visitor is not told who owns the chatbot (issue 16); the owner's own calls are (below).
        assertEquals(Set.of("id", "created_at", "chatbot_id", "phone", "email", "name"), fieldNames(lead));
        assertTrue(lead.get("id").isIntegralNumber());
        assertEquals("Ada Lovelace", lead.get("name").asText());
        assertEquals("Ada@example.com", lead.get("email").asText());
        assertEquals("+442079460958", lead.get("phone").asText());
        assertFalse(response.body().contains(owner.id()), response.body());
        assertEquals(chatbot.id(), lead.get("chatbot_id").asText());
        assertTrue(lead.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        Lead stored = app.leads().find(lead.get("id").asLong()).orElseThrow();
        assertEquals("c-1", stored.conversationId());
        assertEquals(owner.id(), stored.ownerId());
    }

    @Test
    void keyedSubmissionAnswersTheSevenFields() {
        HttpResponse<String> response = post("{\"email\":\"backend@example.com\"}", "Authorization", "Bearer " + secret);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode lead = responseJson(response);
        assertEquals(Set.of("id", "created_at", "chatbot_owner_user_id", "chatbot_id", "phone", "email", "name"), fieldNames(lead));
        assertEquals(owner.id(), lead.get("chatbot_owner_user_id").asText());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everyValidationRuleNamesItsField() {
        assertMessage(post("{\"name\":\"x\"}"), 400, "email or phone");
        assertMessage(post("{\"email\":\"not-an-address\"}"), 400, "email");
        assertMessage(post("{\"email\":\"" + "a".repeat(250) + "@example.com\"}"), 400, "email must be at most 254");
        assertMessage(post("{\"email\":\"a b@example.com\"}"), 400, "email");
        assertMessage(post("{\"phone\":\"12\"}"), 400, "phone");
        assertMessage(post("{\"phone\":\"(415) 555-0100\"}"), 400, "phone");
        assertMessage(post("{\"email\":\"a@example.com\",\"name\":\"" + "n".repeat(201) + "\"}"), 400, "name must be at most 200");
        assertMessage(post("{\"email\":\"a@example.com\",\"name\":\"bad\\u0007name\"}"), 400, "name must not contain control");
        assertMessage(post("{\"email\":\"a@example.com\",\"conversationId\":\"" + "c".repeat(129) + "\"}"), 400, "conversationId");
        assertMessage(post("{\"email\":42}"), 400, "email must be a string");
        assertMessage(post("{\"email\":\"a@example.com\",\"createdAt\":\"2024-01-01T00:00:00Z\"}"), 400, "createdAt");
        assertEquals(0, leadCount());
        // Exactly at the limits is fine.
        HttpResponse<String> ok = post("{\"email\":\"" + "a".repeat(242) + "@example.com\",\"name\":\"" + "n".repeat(200)
                + "\",\"conversationId\":\"" + "c".repeat(128) + "\"}");
        assertEquals(201, ok.statusCode(), ok.body());
    }

    /**
     * PostgreSQL cannot store U+0000 in text (it was a 500 there), and an unpaired surrogate has no
     * UTF-8 form (it was answered 201 with the original but stored as '?'): both are a 400 naming
     * the field, on every database.
     */
    @Test
    void textNoDatabaseCanStoreAsGivenIsRefusedNamingTheField() {
        assertMessage(post("{\"email\":\"a@example.com\",\"conversationId\":\"c\\u0000d\"}"), 400, "conversationId must not contain the NUL");
        assertMessage(post("{\"email\":\"a@example.com\",\"name\":\"Ada \\ud800\"}"), 400, "name must be valid Unicode");
        assertMessage(post("{\"email\":\"\\udc00a@example.com\"}"), 400, "email must be valid Unicode");
        assertEquals(0, leadCount());
        HttpResponse<String> pair = post("{\"email\":\"a@example.com\",\"name\":\"Ada \\ud83d\\ude00\"}");
        assertEquals(201, pair.statusCode(), pair.body());
        assertEquals("Ada \uD83D\uDE00", responseJson(pair).get("name").asText());
    }

    @Test
    void phoneWithoutCountryCodeUsesTheChatbotsDefaultRegion() {
        assertMessage(post("{\"phone\":\"(415) 555-0100\"}"), 400, "phone");
        app.chatbotSettings().update(chatbot.id(), ChatbotSettings.Change.none().withDefaultRegion("us"));
        HttpResponse<String> response = post("{\"phone\":\"(415) 555-0100\"}");
        assertEquals(201, response.statusCode(), response.body());
        assertEquals("+14155550100", responseJson(response).get("phone").asText());
        HttpResponse<String> international = post("{\"phone\":\"+49 30 901820\"}");
        assertEquals("+4930901820", responseJson(international).get("phone").asText());
    }

    @Test
    void badBodiesAndContentTypes() {
        assertMessage(post("{not json"), 400, "JSON");
        assertMessage(post("[1,2]"), 400, "JSON object");
        // Jackson stops after the first value unless told otherwise: the rest must not be ignored.
        assertMessage(post("{\"email\":\"a@example.com\"} {\"email\":\"b@example.com\"}"), 400, "JSON");
        assertMessage(post("{\"email\":\"a@example.com\"} trailing"), 400, "JSON");
        assertMessage(post(""), 400, "JSON");
        assertMessage(post("{\"email\":\"a@example.com\"}", "Content-Type", "text/plain"), 415, "Content-Type");
        assertMessage(post("{\"email\":\"a@example.com\"}", "Content-Type", "text/plain"), 415, "application/x-www-form-urlencoded");
        assertMessage(post("email=a@example.com", "Content-Type", "application/x-www-form-urlencoded", "Authorization", "Bearer " + secret),
                415, "application/json for a call with an API key");
        HttpResponse<String> charset = post("{\"email\":\"a@example.com\"}", "Content-Type", "application/json; charset=utf-8");
        assertEquals(201, charset.statusCode(), charset.body());
        String big = "{\"email\":\"a@example.com\",\"pad\":\"" + "x".repeat(16 * 1024) + "\"}";
        assertMessage(post(big), 413, "16384");
        assertEquals(1, leadCount());
    }

    @Test
    void bodyOverTheLimitWithoutContentLengthIsRefusedToo() {
        byte[] big = ("{\"email\":\"a@example.com\",\"pad\":\"" + "x".repeat(20_000) + "\"}").getBytes();
        // A publisher of unknown length makes the client send the body chunked.
        HttpRequest request = server.request(path()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();
        assertMessage(server.send(request), 413, "at most");
    }

    @Test
    void unknownChatbotAndDisabledCapture() {
        HttpResponse<String> unknown = server.send(server.request("/api/v1/chatbots/nope/leads")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@example.com\"}")).build());
        assertMessage(unknown, 404, "nope");

        app.chatbotSettings().update(chatbot.id(), ChatbotSettings.Change.none().withCaptureEnabled(false));
        assertMessage(post("{\"email\":\"a@example.com\"}"), 404, chatbot.id());
        // The owner's backend may still create leads for it.
        HttpResponse<String> owned = post("{\"email\":\"a@example.com\"}", "Authorization", "Bearer " + secret);
        assertEquals(201, owned.statusCode(), owned.body());
        assertEquals(1, leadCount());
    }


    @Test
    void settingsChangedThroughTheApiApplyAtOnceDespiteTheCache() {
        // The first submission puts the chatbot's settings in this server's cache.
        assertEquals(201, post("{\"email\":\"a@example.com\"}", "Origin", "https://shop.example").statusCode());

        HttpResponse<String> restricted = server.send(server.request("/api/v1/update-chatbot-settings")
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"chatbotId\":\"" + chatbot.id()
                        + "\",\"allowedOrigins\":[\"https://other.example\"]}")).build());
        assertEquals(200, restricted.statusCode(), restricted.body());
        assertMessage(post("{\"email\":\"b@example.com\"}", "Origin", "https://shop.example"), 403, "shop.example");

        HttpResponse<String> disabled = server.send(server.request("/api/v1/update-chatbot-settings")
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"chatbotId\":\"" + chatbot.id()
                        + "\",\"leadCapture\":false}")).build());
        assertEquals(200, disabled.statusCode(), disabled.body());
        assertMessage(post("{\"email\":\"c@example.com\"}", "Origin", "https://other.example"), 404, chatbot.id());
        assertEquals(1, leadCount());
    }

    /** The preflight stores nothing, so only a forgotten cache entry (not a failed insert) can make it 404. */
    @Test
    void aChatbotDeletedThroughThisServerStopsTakingLeadsAtOnce() {
        assertEquals(201, post("{\"email\":\"a@example.com\"}", "Origin", "https://shop.example").statusCode());
        HttpResponse<String> deleted = server.send(server.request("/api/v1/delete-chatbot?chatbotId=" + chatbot.id())
                .header("Authorization", "Bearer " + secret).DELETE().build());
        assertEquals(200, deleted.statusCode(), deleted.body());
        HttpResponse<String> preflight = server.send(server.request(path())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://shop.example")
                .header("Access-Control-Request-Method", "POST").build());
        assertMessage(preflight, 404, chatbot.id());
        assertMessage(post("{\"email\":\"b@example.com\"}", "Origin", "https://shop.example"), 404, chatbot.id());
    }

    @Test
    void aChatbotDeletedByAnotherServerWhileCachedIs404AndStoresNothing() {
        assertEquals(201, post("{\"email\":\"a@example.com\"}").statusCode());
        assertEquals(201, post("{\"email\":\"a@example.com\"}", "Authorization", "Bearer " + secret).statusCode());
        try (Chatleads other = database.open()) {
            assertTrue(other.chatbots().delete(chatbot.id()));
        }
        // This server still has the chatbot cached; the insert finds it gone.
        assertMessage(post("{\"email\":\"b@example.com\"}"), 404, chatbot.id());
        assertMessage(post("{\"email\":\"b@example.com\"}", "Idempotency-Key", "after-delete"), 404, chatbot.id());
        assertMessage(post("{\"email\":\"b@example.com\"}", "Authorization", "Bearer " + secret), 404, chatbot.id());
        assertEquals(0, leadCount());
    }
    @Test
    void ownerMayBackfillCreatedAtAndOthersGet404Or401() {
        HttpResponse<String> backfill = post("{\"email\":\"a@example.com\",\"createdAt\":\"2021-03-04T05:06:07.089Z\"}",
                "Authorization", "Bearer " + secret);
        assertEquals(201, backfill.statusCode(), backfill.body());
        assertEquals("2021-03-04T05:06:07.089Z", responseJson(backfill).get("created_at").asText());
        assertMessage(post("{\"email\":\"a@example.com\",\"createdAt\":\"yesterday\"}", "Authorization", "Bearer " + secret),
                400, "createdAt");
        assertMessage(post("{\"email\":\"a@example.com\",\"createdAt\":\"1960-01-01T00:00:00Z\"}", "Authorization", "Bearer " + secret),
                400, "createdAt");

        Owner other = app.owners().create("other-" + UUID.randomUUID() + "@example.com");
        String otherSecret = app.apiKeys().create(other.id(), "k").secret();
        assertMessage(post("{\"email\":\"a@example.com\"}", "Authorization", "Bearer " + otherSecret), 404, chatbot.id());
        HttpResponse<String> badKey = post("{\"email\":\"a@example.com\"}", "Authorization", "Bearer cl_wrong");
        assertEquals(401, badKey.statusCode());
        assertEquals(1, leadCount());
    }

    @Test
    void corsForAllowedAndDisallowedOrigins() {
        // No origins listed: any origin may submit, and is echoed back.
        HttpResponse<String> open = post("{\"email\":\"a@example.com\"}", "Origin", "https://anywhere.example");
        assertEquals(201, open.statusCode());
        assertEquals("https://anywhere.example", open.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        app.chatbotSettings().update(chatbot.id(), ChatbotSettings.Change.none()
                .withAllowedOrigins(List.of("https://shop.example.com", "http://localhost:3000")));
        HttpResponse<String> preflight = server.send(server.request(path())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://shop.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, idempotency-key").build());
        assertEquals(204, preflight.statusCode(), preflight.body());
        assertEquals("https://shop.example.com", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Idempotency-Key"));

        HttpResponse<String> deniedPreflight = server.send(server.request(path())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST").build());
        assertEquals(403, deniedPreflight.statusCode());
        assertTrue(deniedPreflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());

        HttpResponse<String> allowed = post("{\"email\":\"b@example.com\"}", "Origin", "http://localhost:3000");
        assertEquals(201, allowed.statusCode(), allowed.body());
        assertEquals("http://localhost:3000", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        // Errors from an allowed origin carry the CORS header too, so the widget can read them.
        HttpResponse<String> invalid = post("{\"email\":\"nope\"}", "Origin", "http://localhost:3000");
        assertMessage(invalid, 400, "email");
        assertEquals("http://localhost:3000", invalid.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        assertMessage(post("{\"email\":\"c@example.com\"}", "Origin", "https://evil.example"), 403, "origin");
        assertMessage(post("{\"email\":\"c@example.com\"}"), 403, "Origin header is required");
        // Sandboxed iframes and file:// pages send the origin "null"; it and other values that are not
        // an origin at all were a 500 (NullPointerException), on the submission and on the preflight.
        for (String notAnOrigin : List.of("null", "garbage", "https://shop.example.com/path")) {
            assertMessage(post("{\"email\":\"c@example.com\"}", "Origin", notAnOrigin), 403, "origin '" + notAnOrigin + "'");
            HttpResponse<String> preflightFromIt = server.send(server.request(path())
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", notAnOrigin)
                    .header("Access-Control-Request-Method", "POST").build());
            assertMessage(preflightFromIt, 403, "origin '" + notAnOrigin + "'");
        }
        assertEquals(2, leadCount());
    }

    /**
     * The database away and nothing cached ({@link FaultyServer}, CHATLEADS_CACHE_TTL_MS=0): the
     * preflight and the widget's POST, whatever the origin and whether or not the chatbot exists,
     * carry the CORS headers, so a browser shows the widget the 503 and its Retry-After instead of
     * a network error; the preflight's permission is not to be kept (max-age 0). Without an Origin
     * (no browser) the preflight is the 503 it was. With the database there, before the outage and
     * after it, an origin not allowed and an unknown chatbot get what they always got, and nothing
     * is stored.
     */
    @Test
    void inADatabaseOutageTheWidgetCanReadThe503FromAnyOrigin() {
        try (FaultyServer faulty = FaultyServer.withDatabaseToTakeAway(kind(), Map.of(
                "CHATLEADS_DB_CONNECTION_TIMEOUT_MS", "250", "CHATLEADS_CACHE_TTL_MS", "0"))) {
            TestServer away = faulty.server();
            Chatbot bot = faulty.chatbot();
            away.app().chatbotSettings().update(bot.id(), ChatbotSettings.Change.none()
                    .withAllowedOrigins(List.of("https://shop.example.com")));
            String known = "/api/v1/chatbots/" + bot.id() + "/leads";
            String unknown = "/api/v1/chatbots/does-not-exist/leads";
            Runnable asBefore = () -> {
                assertRefusedWithoutCors(preflight(away, known, "https://evil.example"), 403, "origin 'https://evil.example'");
                assertRefusedWithoutCors(widgetPost(away, known, "https://evil.example", "k-1"), 403, "origin 'https://evil.example'");
                assertRefusedWithoutCors(preflight(away, unknown, "https://shop.example.com"), 404, "does-not-exist");
                assertRefusedWithoutCors(widgetPost(away, unknown, "https://shop.example.com", null), 404, "does-not-exist");
                assertEquals("600", preflight(away, known, "https://shop.example.com")
                        .headers().firstValue("Access-Control-Max-Age").orElse(null));
            };
            asBefore.run();

            faulty.takeDatabaseAway();
            for (String path : List.of(known, unknown)) {
                for (String origin : List.of("https://shop.example.com", "https://evil.example")) {
                    String context = origin + " to " + path;
                    HttpResponse<String> preflight = preflight(away, path, origin);
                    assertEquals(204, preflight.statusCode(), context + ": " + preflight.body());
                    assertEquals(origin, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null), context);
                    assertEquals("POST", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(null), context);
                    assertEquals("Content-Type, Idempotency-Key",
                            preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(null), context);
                    assertEquals("0", preflight.headers().firstValue("Access-Control-Max-Age").orElse(null), context);
                    assertTrue(preflight.headers().firstValue("Vary").orElse("").contains("Origin"), context);
                    // With an Idempotency-Key, as the widget sends (a worker's JDBC read), and without
                    // (on PostgreSQL read on the event loop's own connection).
                    for (String idempotencyKey : Arrays.asList("k-" + UUID.randomUUID(), null)) {
                        HttpResponse<String> post = widgetPost(away, path, origin, idempotencyKey);
                        assertEquals("{\"message\":\"the database is unavailable; retry in 2 s\"}", post.body(), context);
                        assertEquals(503, post.statusCode(), context);
                        assertEquals("2", post.headers().firstValue("Retry-After").orElse(null), context);
                        assertEquals(origin, post.headers().firstValue("Access-Control-Allow-Origin").orElse(null), context);
                        assertTrue(post.headers().firstValue("Vary").orElse("").contains("Origin"), context);
                        assertTrue(Arrays.asList(post.headers().firstValue("Access-Control-Expose-Headers").orElse("")
                                .split(",\\s*")).contains("Retry-After"), context + ": " + post.headers().map());
                    }
                }
            }
            HttpResponse<String> noBrowser = preflight(away, known, null);
            assertRefusedWithoutCors(noBrowser, 503, "the database is unavailable");

            faulty.bringDatabaseBack();
            // Every answer as before, not only one: the worker's pool and each event loop's own
            // connection come back one by one, and a look-up on one not back yet is still the
            // outage's answer (a CI run's evil-origin preflight got the 204 after a POST's 404).
            Poll.untilAnswered(Duration.ofSeconds(30), "the database back, every answer as before", () -> {
                try {
                    asBefore.run();
                    return true;
                } catch (AssertionError notYet) {
                    return false;
                }
            });
            asBefore.run();
            assertEquals(0, away.app().leads().rangeAfter(bot.id(), bot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, null, 100).size());
        }
    }

    private static HttpResponse<String> preflight(TestServer to, String path, String origin) {
        HttpRequest.Builder request = to.request(path).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, idempotency-key");
        if (origin != null) {
            request.header("Origin", origin);
        }
        return to.send(request.build());
    }

    private static HttpResponse<String> widgetPost(TestServer to, String path, String origin, String idempotencyKey) {
        HttpRequest.Builder request = to.request(path).POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@example.com\"}"))
                .header("Content-Type", "application/json").header("Origin", origin);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return to.send(request.build());
    }

    private static void assertRefusedWithoutCors(HttpResponse<String> answer, int status, String mentions) {
        assertMessage(answer, status, mentions);
        assertTrue(answer.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), answer.headers().map().toString());
    }

    @Test
    void retryWithTheSameIdempotencyKeyReturnsTheOriginalLead() {
        HttpResponse<String> first = post("{\"email\":\"a@example.com\"}", "Idempotency-Key", "retry-1");
        assertEquals(201, first.statusCode(), first.body());
        HttpResponse<String> retry = post("{\"email\":\"a@example.com\"}", "Idempotency-Key", "retry-1");
        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals(responseJson(first), responseJson(retry));
        HttpResponse<String> other = post("{\"email\":\"a@example.com\"}", "Idempotency-Key", "retry-2");
        assertEquals(201, other.statusCode());
        assertMessage(post("{\"email\":\"a@example.com\"}", "Idempotency-Key", "x".repeat(256)), 400, "Idempotency-Key");
        assertEquals(2, leadCount());

        // The same key on another chatbot is another submission.
        Chatbot second = app.chatbots().create(owner.id(), "second");
        HttpResponse<String> elsewhere = server.send(server.request("/api/v1/chatbots/" + second.id() + "/leads")
                .header("Content-Type", "application/json").header("Idempotency-Key", "retry-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@example.com\"}")).build());
        assertEquals(201, elsewhere.statusCode());
    }

    @Test
    void twentyConcurrentRequestsWithOneKeyCreateExactlyOneLead() throws Exception {
        int n = 20;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                responses.add(pool.submit(() -> {
                    go.await();
                    return post("{\"email\":\"same@example.com\"}", "Idempotency-Key", "concurrent");
                }));
            }
            go.countDown();
            Set<Long> ids = new HashSet<>();
            int created = 0;
            for (Future<HttpResponse<String>> f : responses) {
                HttpResponse<String> r = f.get();
                assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.statusCode() + " " + r.body());
                created += r.statusCode() == 201 ? 1 : 0;
                ids.add(responseJson(r).get("id").asLong());
            }
            assertEquals(1, created);
            assertEquals(1, ids.size());
            assertEquals(1, leadCount());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anErasedLeadNeverComesBack() {
        HttpResponse<String> first = post("{\"email\":\"gone@example.com\"}", "Idempotency-Key", "erase-me");
        long id = responseJson(first).get("id").asLong();
        HttpRequest.Builder delete = server.request("/api/v1/leads/" + id).DELETE();

        Owner other = app.owners().create("x-" + UUID.randomUUID() + "@example.com");
        String otherSecret = app.apiKeys().create(other.id(), "k").secret();
        assertEquals(404, server.send(delete.copy().header("Authorization", "Bearer " + otherSecret).build()).statusCode());
        assertEquals(401, server.send(delete.copy().build()).statusCode());
        assertMessage(server.send(server.request("/api/v1/leads/abc").DELETE().header("Authorization", "Bearer " + secret).build()),
                400, "id");
        // "+5" erased lead 5: an id is written in digits only.
        assertMessage(server.send(server.request("/api/v1/leads/+" + id).DELETE().header("Authorization", "Bearer " + secret).build()),
                400, "id must be a lead id");
        assertTrue(app.leads().find(id).isPresent());

        assertEquals(204, server.send(delete.copy().header("Authorization", "Bearer " + secret).build()).statusCode());
        assertEquals(404, server.send(delete.copy().header("Authorization", "Bearer " + secret).build()).statusCode());
        assertTrue(app.leads().find(id).isEmpty());

        HttpResponse<String> page = server.get("/api/v1/get-leads?chatbotId=" + chatbot.id(), secret);
        assertEquals(0, responseJson(page).get("data").size());
        HttpResponse<String> csv = server.send(server.request("/api/v1/get-leads?chatbotId=" + chatbot.id())
                .header("Authorization", "Bearer " + secret).header("Accept", "text/csv").build());
        assertFalse(csv.body().contains("gone@example.com"), csv.body());
        // A widget retrying the erased submission does not recreate it.
        assertMessage(post("{\"email\":\"gone@example.com\"}", "Idempotency-Key", "erase-me"), 409, "erased");
        assertEquals(0, leadCount());
    }

    @Test
    void rateLimitsAnswer429WithHeaders() {
        try (TestServer limited = TestServer.start(database, Map.of(
                "CHATLEADS_WIDGET_RATE_LIMIT", "3", "CHATLEADS_WIDGET_RATE_WINDOW_SECONDS", "3600",
                "CHATLEADS_API_RATE_LIMIT", "2", "CHATLEADS_API_RATE_WINDOW_SECONDS", "3600"))) {
            HttpRequest widget = limited.request(path()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@example.com\"}")).build();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> ok = limited.send(widget);
                assertEquals(201, ok.statusCode(), ok.body());
                assertEquals("3", ok.headers().firstValue("X-RateLimit-Limit").orElse(null));
                assertEquals(Integer.toString(2 - i), ok.headers().firstValue("X-RateLimit-Remaining").orElse(null));
            }
            HttpResponse<String> refused = limited.send(widget);
            assertMessage(refused, 429, "rate limit");
            assertMessage(refused, 429, "(CHATLEADS_WIDGET_RATE_LIMIT per CHATLEADS_WIDGET_RATE_WINDOW_SECONDS)");
            assertEquals("0", refused.headers().firstValue("X-RateLimit-Remaining").orElse(null));
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter > 0 && retryAfter <= 3600, "Retry-After " + retryAfter);
            assertEquals(refused.headers().firstValue("Retry-After"), refused.headers().firstValue("X-RateLimit-Reset"));
            assertEquals(3, leadCount());

            // Another chatbot is another bucket for the same address.
            Chatbot second = app.chatbots().create(owner.id(), "second");
            assertEquals(201, limited.send(limited.request("/api/v1/chatbots/" + second.id() + "/leads")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@example.com\"}")).build()).statusCode());

            // Authenticated calls count per key, get-leads included.
            String getLeads = "/api/v1/get-leads?chatbotId=" + chatbot.id();
            assertEquals(200, limited.get(getLeads, secret).statusCode());
            HttpResponse<String> second2 = limited.get(getLeads, secret);
            assertEquals(200, second2.statusCode());
            assertEquals("0", second2.headers().firstValue("X-RateLimit-Remaining").orElse(null));
            HttpResponse<String> third = limited.get(getLeads, secret);
            assertMessage(third, 429, "API key");
            assertMessage(third, 429, "(CHATLEADS_API_RATE_LIMIT per CHATLEADS_API_RATE_WINDOW_SECONDS)");
            assertTrue(third.headers().firstValue("Retry-After").isPresent());
            assertEquals("2", third.headers().firstValue("X-RateLimit-Limit").orElse(null));
            String otherKey = app.apiKeys().create(owner.id(), "k2").secret();
            assertEquals(200, limited.get(getLeads, otherKey).statusCode());
        }
    }

    @Test
    void nullFieldsAreAbsentValues() {
        HttpResponse<String> response = post("{\"name\":null,\"email\":null,\"phone\":\"+14155550100\"}");
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(responseJson(response).get("email").isNull());
        assertNull(app.leads().find(responseJson(response).get("id").asLong()).orElseThrow().name());
    }
}
