package io.chatleads.ops;

import io.chatleads.http.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.app.Server;
import io.chatleads.support.FaultyServer;
import io.chatleads.support.Fixture;
import io.chatleads.support.OpenApiContract;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import io.chatleads.webhook.EndpointPolicy;
import io.chatleads.webhook.Receiver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document and the running server cannot drift apart: every route the server registers
 * is in the document and the other way round, and every answer the server gives in these tests (each
 * status class, including 500 and 503) matches what the document says about it. Every response the
 * document lists, on every route, is produced at least once (a few shared operations answers aside),
 * the webhook event a receiver gets matches the document's top-level {@code webhooks}, and every
 * example in the document matches its schema.
 */
abstract class AbstractOpenApiContractTest extends ServerTestBase {

    private static final String LEADS = "/api/v1/get-leads";
    private static final String WEBHOOKS = "/api/v1/webhooks";

    private final OpenApiContract contract = OpenApiContract.load();
    private Fixture fixture;

    @Override
    protected Map<String, String> serverEnv() {
        // loopback webhook receivers need the private-address rule lifted
        return Map.of("CHATLEADS_HTTP_MAX_BODY_BYTES", "2048", EndpointPolicy.ALLOW_PRIVATE_SETTING, "true");
    }

    @BeforeAll
    void createData() {
        fixture = Fixture.create(server.app(), 25);
    }

    /** {@code headers}: name, value, …; a body goes as application/json unless they name a Content-Type. */
    private HttpResponse<String> send(TestServer target, String method, String pathAndQuery, String key, String body,
                                      String... headers) {
        HttpRequest.Builder request = target.request(pathAndQuery)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = target.send(request.build());
        contract.check(method, response);
        return response;
    }

    private HttpResponse<String> get(String pathAndQuery, String key) {
        return send(server, "GET", pathAndQuery, key, null);
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedOneIsServed() {
        List<Route> routes = server.server().routes();
        assertTrue(routes.contains(new Route("GET", LEADS)), "the server reports its routes: " + routes);
        contract.assertSameRoutes(routes);
    }

    @Test
    void getLeadsAnswersMatchTheDocument() {
        String chatbot = "?chatbotId=" + fixture.chatbot().id();
        HttpResponse<String> page = get(LEADS + chatbot + "&size=10", fixture.key());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Link").isPresent(), "25 leads, size 10: a next page");
        assertEquals(200, get(LEADS + chatbot + "&startDate=2023-07-01&endDate=2023-07-01&page=1&size=1000", fixture.key()).statusCode());
        assertEquals(200, get(LEADS + chatbot + "&page=99", fixture.key()).statusCode());
        assertEquals(200, send(server, "GET", LEADS, fixture.key(), "{\"chatbotId\":\"" + fixture.chatbot().id() + "\",\"size\":5}").statusCode());
        HttpResponse<String> csv = send(server, "GET", LEADS + chatbot + "&startDate=2023-07-01", fixture.key(), null,
                "Accept", "text/csv, application/json;q=0.5");
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), csv.headers().map().toString());
        assertEquals(26, csv.body().split("\r\n").length, "a header row and the 25 leads: " + csv.body());
        HttpResponse<String> csvError = send(server, "GET", LEADS + chatbot + "&startDate=2023-7-1", fixture.key(), null,
                "Accept", "text/csv");
        assertEquals(400, csvError.statusCode(), "errors stay JSON: " + csvError.body());

        for (String bad : List.of("", "?chatbotId=", chatbot + "&startDate=2023-7-10", chatbot + "&endDate=2023-02-30",
                chatbot + "&startDate=2023-07-10&endDate=2023-07-01", chatbot + "&page=0", chatbot + "&size=1001",
                chatbot + "&size=ten", chatbot + "&page=1&page=2")) {
            HttpResponse<String> response = get(LEADS + bad, fixture.key());
            assertEquals(400, response.statusCode(), bad + ": " + response.body());
        }
        assertEquals(400, send(server, "GET", LEADS + chatbot, fixture.key(), "[1,2]").statusCode());
        assertEquals(415, send(server, "GET", LEADS + chatbot, fixture.key(), "chatbotId=x",
                "Content-Type", "application/x-www-form-urlencoded").statusCode(), "a form is not read as parameters");

        assertEquals(401, get(LEADS + chatbot, null).statusCode());
        assertEquals(401, get(LEADS + chatbot, fixture.revokedKey()).statusCode());
        assertEquals(401, get(LEADS + chatbot, "cl_unknown").statusCode());
        assertEquals(401, server.send(server.request(LEADS + chatbot).header("Authorization", "Basic dXNlcjpwYXNz").build()).statusCode());

        assertEquals(404, get(LEADS + "?chatbotId=" + fixture.otherChatbot().id(), fixture.key()).statusCode());
        assertEquals(404, get(LEADS + "?chatbotId=nope", fixture.key()).statusCode());
        assertEquals(405, send(server, "POST", LEADS + chatbot, fixture.key(), "{}").statusCode());
        assertEquals(405, send(server, "DELETE", LEADS, fixture.key(), null).statusCode());
        assertEquals(413, send(server, "GET", LEADS, fixture.key(), "{\"chatbotId\":\"" + "x".repeat(4096) + "\"}").statusCode());
        assertEquals(404, get("/api/v1/nothing-here", fixture.key()).statusCode());
    }

    @Test
    void operationsAnswersMatchTheDocument() {
        assertEquals(200, get("/health/live", null).statusCode());
        assertEquals(200, get("/health/ready", null).statusCode());
        assertEquals(200, get("/metrics", null).statusCode());
        assertEquals(200, get("/openapi.json", null).statusCode());
        assertEquals(200, get("/docs", null).statusCode());
        assertEquals(405, send(server, "POST", "/health/ready", null, "{}").statusCode());
    }

    @Test
    void theCollectedCustomersEnvelopeMatchesTheDocument() {
        try (TestServer wrapped = TestServer.start(database, Map.of("CHATLEADS_RESPONSE_ENVELOPE", "collectedCustomers"))) {
            HttpResponse<String> response = send(wrapped, "GET", LEADS + "?chatbotId=" + fixture.chatbot().id(), fixture.key(), null);
            assertEquals(200, response.statusCode());
            assertTrue(response.body().startsWith("{\"collectedCustomers\":{\"data\":["), response.body());
        }
    }

    /** Each of the three shapes, chosen by the server default and by a key's own, is one the document describes. */
    @Test
    void everyResponseEnvelopeMatchesTheDocument() {
        for (String shape : List.of("data", "collectedCustomers", "collectedCustomersArray")) {
            try (TestServer shaped = TestServer.start(database, Map.of("CHATLEADS_RESPONSE_ENVELOPE", shape))) {
                HttpResponse<String> response = send(shaped, "GET", LEADS + "?chatbotId=" + fixture.chatbot().id(), fixture.key(), null);
                assertEquals(200, response.statusCode(), shape + ": " + response.body());
            }
            String own = app().apiKeys().create(fixture.owner().id(), "shape " + shape,
                    io.chatleads.Settings.ResponseEnvelope.named(shape).orElseThrow()).secret();
            HttpResponse<String> keyed = send(server, "GET", LEADS + "?chatbotId=" + fixture.chatbot().id(), own, null);
            assertEquals(200, keyed.statusCode(), shape + ": " + keyed.body());
        }
        HttpResponse<String> created = send(server, "POST", "/api/v1/api-keys", fixture.key(),
                "{\"name\":\"shaped\",\"responseEnvelope\":\"collectedCustomersArray\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(400, send(server, "POST", "/api/v1/api-keys", fixture.key(),
                "{\"name\":\"shaped\",\"responseEnvelope\":\"collectedcustomers\"}").statusCode());
    }

    /**
     * With every statement failing (SQLite: its JDBC pool closed; PostgreSQL: the schema dropped,
     * which the event loops' own connections meet as much as the pool's, see {@link FaultyServer}),
     * get-leads is 500 and readiness 503; both answers are documented.
     */
    @Test
    void failuresMatchTheDocument() {
        try (FaultyServer faulty = FaultyServer.failingEveryStatement(kind())) {
            TestServer broken = faulty.server();
            HttpResponse<String> leads = send(broken, "GET", LEADS + "?chatbotId=" + faulty.chatbot().id(), faulty.secret(), null);
            assertEquals(500, leads.statusCode(), leads.body());
            assertEquals("{\"message\":\"internal server error\"}", leads.body());
            // every API route: the database is the first thing each one needs. Each route gets ids
            // of its own, so that none can be answered from what another route's look-up remembered.
            int routeNumber = 0;
            for (Route route : broken.server().routes()) {
                if (route.path().startsWith("/api/")) {
                    String path = route.path().replaceAll("[{<][^}>]+[}>]", "x" + routeNumber++);
                    HttpResponse<String> failed = send(broken, route.method(), path, faulty.secret(), null, "Origin", "https://shop.example.com");
                    assertEquals(500, failed.statusCode(), route + ": " + failed.body());
                }
            }
            // A widget submission, with an Idempotency-Key (stored through the JDBC pool on both
            // databases) and without (on PostgreSQL, read and stored through the event loop's connections).
            for (String idempotencyKey : List.of("contract-1", "")) {
                String[] headers = idempotencyKey.isEmpty() ? new String[0] : new String[]{"Idempotency-Key", idempotencyKey};
                HttpResponse<String> widget = send(broken, "POST", "/api/v1/chatbots/" + faulty.chatbot().id() + "/leads", null,
                        "{\"email\":\"a@example.com\"}", headers);
                assertEquals(500, widget.statusCode(), widget.body());
            }
            HttpResponse<String> ready = send(broken, "GET", "/health/ready", null, null);
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("\"status\":\"unavailable\""), ready.body());
        }
    }

    /**
     * The database away on every path the server takes to it ({@link FaultyServer#withDatabaseAway}:
     * SQLite's pool of two all taken, so each request's wait for a connection runs out; PostgreSQL's
     * own cluster stopped, which the pool and the event loops' own connections both meet) and
     * nothing cached: every API route answers the documented 503 with Retry-After, and /metrics
     * counts each one apart from 500s.
     */
    @Test
    void databaseOutagesMatchTheDocument() {
        try (FaultyServer away = FaultyServer.withDatabaseAway(kind(), Map.of(
                "CHATLEADS_DB_CONNECTION_TIMEOUT_MS", "500", "CHATLEADS_CACHE_TTL_MS", "0"))) {
            TestServer unavailable = away.server();
            int answered = 0;
            for (Route route : unavailable.server().routes()) {
                if (!route.path().startsWith("/api/")) {
                    continue;
                }
                String path = route.path().replaceAll("[{<][^}>]+[}>]", away.chatbot().id());
                if (route.method().equals("OPTIONS")) {
                    // From a browser (an Origin) the capture preflight lets the POST come for its 503:
                    // a 204 not to be cached. Without one it is the 503 of every route.
                    HttpResponse<String> preflight = send(unavailable, "OPTIONS", path, null, null,
                            "Origin", "https://shop.example.com", "Access-Control-Request-Method", "POST");
                    assertEquals(204, preflight.statusCode(), route + ": " + preflight.body());
                    assertEquals("0", preflight.headers().firstValue("Access-Control-Max-Age").orElse(null), route.toString());
                }
                HttpResponse<String> answer = route.method().equals("OPTIONS")
                        ? send(unavailable, "OPTIONS", path, null, null, "Access-Control-Request-Method", "POST")
                        : send(unavailable, route.method(), path, away.secret(), route.method().equals("GET") ? null : "{}",
                                "Origin", "https://shop.example.com");
                assertEquals(503, answer.statusCode(), route + ": " + answer.body());
                assertEquals("2", answer.headers().firstValue("Retry-After").orElse(null), route.toString());
                assertEquals("{\"message\":\"the database is unavailable; retry in 2 s\"}", answer.body());
                answered++;
            }
            String metrics = send(unavailable, "GET", "/metrics", null, null).body();
            String counted = "chatleads_database_unavailable_total " + (double) answered;
            assertTrue(metrics.lines().anyMatch(counted::equals),
                    answered + " answers counted: " + metrics.lines().filter(line -> line.contains("unavailable")).toList());
        }
    }

    /** Every API route uses the database, so every one documents the 503 it answers while the database is away. */
    @Test
    void everyDatabaseRouteDocumentsTheUnavailableAnswer() {
        List<String> missing = new java.util.ArrayList<>();
        for (Route route : server.server().routes()) {
            if (!route.path().startsWith("/api/")) {
                continue;
            }
            JsonNode documented = contract.document().path("paths").path(route.path())
                    .path(route.method().toLowerCase(java.util.Locale.ROOT)).path("responses").path("503");
            if (!documented.path("$ref").asText().equals("#/components/responses/DatabaseUnavailable")) {
                missing.add(route.toString());
            }
        }
        assertTrue(server.server().routes().stream().anyMatch(route -> route.path().startsWith("/api/")), "API routes found");
        assertEquals(List.of(), missing, "API routes whose 503 is not components.responses.DatabaseUnavailable");
    }

    /**
     * Every registered route, whoever added it, called without credentials and with nonsense: the
     * answer, whatever it is, must be one the document describes.
     */
    @Test
    void everyRouteAnswersOnlyWhatTheDocumentDescribes() {
        for (Route route : server.server().routes()) {
            String path = route.path().replaceAll("[{<][^}>]+[}>]", "does-not-exist");
            send(server, route.method(), path, null, route.method().equals("GET") ? null : "{}");
            send(server, route.method(), path + "?page=-1&size=x", "cl_not-a-key", route.method().equals("GET") ? null : "not json");
        }
    }

    private static String capturePath(Chatbot chatbot) {
        return "/api/v1/chatbots/" + chatbot.id() + "/leads";
    }

    private static String field(HttpResponse<String> response, String name) {
        return responseJson(response).path(name).asText();
    }

    /** The widget (no key: capture switch, origins, CORS) and the owner's backend (key, createdAt), idempotency, erasure. */
    @Test
    void leadCaptureAnswersMatchTheDocument() {
        Chatbot bot = app().chatbots().create(fixture.owner().id(), "capture");
        String path = capturePath(bot);
        String shop = "https://shop.example.com";

        String retryKey = "contract-" + UUID.randomUUID();
        HttpResponse<String> created = send(server, "POST", path, null,
                "{\"name\":\"Ada Lovelace\",\"email\":\"Ada@Example.COM\",\"conversationId\":\"conv-17\"}",
                "Origin", shop, "Idempotency-Key", retryKey);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(shop, created.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("Ada@example.com", field(created, "email"));
        HttpResponse<String> replayed = send(server, "POST", path, null, "{\"email\":\"other@example.com\"}",
                "Origin", shop, "Idempotency-Key", retryKey);
        assertEquals(200, replayed.statusCode(), replayed.body());
        assertEquals(field(created, "id"), field(replayed, "id"));
        HttpResponse<String> backfill = send(server, "POST", path, fixture.key(),
                "{\"phone\":\"+1 415 555 0123\",\"createdAt\":\"2023-11-02T09:30:00Z\"}");
        assertEquals(201, backfill.statusCode(), backfill.body());
        assertEquals("2023-11-02T09:30:00.000Z", field(backfill, "created_at"));

        assertEquals(400, send(server, "POST", path, null, "{\"email\":\"a@example.com\",\"createdAt\":\"2023-11-02T09:30:00Z\"}").statusCode());
        assertEquals(400, send(server, "POST", path, fixture.key(), "{\"email\":\"not an address\"}").statusCode());
        assertEquals(400, send(server, "POST", path, fixture.key(), "{\"name\":\"no way to reach them\"}").statusCode());
        assertEquals(400, send(server, "POST", path, fixture.key(), "[1]").statusCode());
        assertEquals(400, send(server, "POST", path, null, "{\"email\":\"a@example.com\"}", "Idempotency-Key", "with space").statusCode());
        assertEquals(415, send(server, "POST", path, null, "email=a@example.com", "Content-Type", "text/plain").statusCode());
        assertEquals(401, send(server, "POST", path, "cl_unknown", "{\"email\":\"a@example.com\"}").statusCode());
        assertEquals(404, send(server, "POST", capturePath(fixture.otherChatbot()), fixture.key(), "{\"email\":\"a@example.com\"}").statusCode());

        // allowed origins and the preflight
        HttpResponse<String> restricted = send(server, "POST", "/api/v1/update-chatbot-settings", fixture.key(),
                "{\"chatbotId\":\"" + bot.id() + "\",\"allowedOrigins\":[\"https://SHOP.example.com/\"],\"defaultRegion\":\"us\"}");
        assertEquals(200, restricted.statusCode(), restricted.body());
        assertEquals("[\"https://shop.example.com\"]", responseJson(restricted).path("allowedOrigins").toString());
        HttpResponse<String> preflight = send(server, "OPTIONS", path, null, null,
                "Origin", shop, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
        assertEquals(204, preflight.statusCode(), preflight.body());
        assertEquals(403, send(server, "OPTIONS", path, null, null, "Origin", "https://evil.example").statusCode());
        assertEquals(403, send(server, "OPTIONS", path, null, null).statusCode());
        assertEquals(403, send(server, "POST", path, null, "{\"email\":\"a@example.com\"}", "Origin", "https://evil.example").statusCode());
        HttpResponse<String> local = send(server, "POST", path, null, "{\"phone\":\"(415) 555-0124\"}", "Origin", shop);
        assertEquals(201, local.statusCode(), "the default region applies: " + local.body());

        // capture off: the widget sees no chatbot, the owner still can submit
        HttpResponse<String> off = send(server, "POST", "/api/v1/update-chatbot-settings", fixture.key(),
                "{\"chatbotId\":\"" + bot.id() + "\",\"leadCapture\":false,\"defaultRegion\":null,\"allowedOrigins\":[]}");
        assertEquals(200, off.statusCode(), off.body());
        assertEquals(404, send(server, "POST", path, null, "{\"email\":\"a@example.com\"}", "Origin", shop).statusCode());
        assertEquals(404, send(server, "OPTIONS", path, null, null, "Origin", shop).statusCode());

        // erasure, and the Idempotency-Key of an erased lead
        String eraseKey = "erase-" + UUID.randomUUID();
        HttpResponse<String> doomed = send(server, "POST", path, fixture.key(), "{\"email\":\"gone@example.com\"}", "Idempotency-Key", eraseKey);
        assertEquals(201, doomed.statusCode(), doomed.body());
        String lead = "/api/v1/leads/" + field(doomed, "id");
        assertEquals(401, send(server, "DELETE", lead, fixture.revokedKey(), null).statusCode());
        assertEquals(404, send(server, "DELETE", "/api/v1/leads/" + field(backfill, "id"), otherOwnerKey(), null).statusCode(),
                "another owner's lead looks missing");
        HttpResponse<String> erased = send(server, "DELETE", lead, fixture.key(), null);
        assertEquals(204, erased.statusCode(), erased.body());
        assertEquals(404, send(server, "DELETE", lead, fixture.key(), null).statusCode());
        assertEquals(400, send(server, "DELETE", "/api/v1/leads/forty-two", fixture.key(), null).statusCode());
        assertEquals(409, send(server, "POST", path, fixture.key(), "{\"email\":\"gone@example.com\"}", "Idempotency-Key", eraseKey).statusCode());
    }

    private String otherOwnerKey() {
        return app().apiKeys().create(fixture.otherChatbot().ownerId(), "other").secret();
    }

    @Test
    void chatbotAnswersMatchTheDocument() {
        HttpResponse<String> created = send(server, "POST", "/api/v1/create-chatbot", fixture.key(), "{\"chatbotName\":\" Support \"}");
        assertEquals(200, created.statusCode(), created.body());
        String id = field(created, "chatbotId");
        HttpResponse<String> list = get("/api/v1/get-chatbots", fixture.key());
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("\"id\":\"" + id + "\",\"name\":\"Support\""), list.body());

        assertEquals(400, send(server, "POST", "/api/v1/create-chatbot", fixture.key(), "{}").statusCode());
        assertEquals(400, send(server, "POST", "/api/v1/create-chatbot", fixture.key(), "{\"chatbotName\":\"" + "x".repeat(201) + "\"}").statusCode());
        assertEquals(415, send(server, "POST", "/api/v1/create-chatbot", fixture.key(), "{\"chatbotName\":\"Support\"}",
                "Content-Type", "text/plain").statusCode());

        String update = "/api/v1/update-chatbot-settings";
        HttpResponse<String> renamed = send(server, "POST", update, fixture.key(), "{\"chatbotId\":\"" + id + "\",\"name\":\"Sales\",\"leadCapture\":true}");
        assertEquals(200, renamed.statusCode(), renamed.body());
        assertEquals("Sales", field(renamed, "name"));
        assertEquals(400, send(server, "POST", update, fixture.key(), "{\"chatbotId\":\"" + id + "\",\"defaultRegion\":\"XX\"}").statusCode());
        assertEquals(400, send(server, "POST", update, fixture.key(), "{\"chatbotId\":\"" + id + "\",\"allowedOrigins\":[\"https://a.example/path\"]}").statusCode());
        assertEquals(400, send(server, "POST", update, fixture.key(), "{\"chatbotId\":\"" + id + "\",\"leadCapture\":\"yes\"}").statusCode());
        assertEquals(400, send(server, "POST", update, fixture.key(), "{\"name\":\"no id\"}").statusCode());
        assertEquals(404, send(server, "POST", update, fixture.key(), "{\"chatbotId\":\"" + fixture.otherChatbot().id() + "\",\"name\":\"mine\"}").statusCode());
        assertEquals(415, send(server, "POST", update, fixture.key(), "{}", "Content-Type", "text/plain").statusCode());

        String delete = "/api/v1/delete-chatbot";
        assertEquals(400, send(server, "DELETE", delete, fixture.key(), null).statusCode());
        assertEquals(400, send(server, "DELETE", delete + "?chatbotId=" + id + "&chatbotId=" + id, fixture.key(), null).statusCode());
        assertEquals(404, send(server, "DELETE", delete + "?chatbotId=" + fixture.otherChatbot().id(), fixture.key(), null).statusCode());
        HttpResponse<String> deleted = send(server, "DELETE", delete, fixture.key(), "{\"chatbotId\":\"" + id + "\"}");
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(404, send(server, "DELETE", delete + "?chatbotId=" + id, fixture.key(), null).statusCode());
        HttpResponse<String> again = send(server, "POST", "/api/v1/create-chatbot", fixture.key(), "{\"chatbotName\":\"Temp\"}");
        assertEquals(200, send(server, "DELETE", delete + "?chatbotId=" + field(again, "chatbotId"), fixture.key(), null).statusCode());
    }

    /**
     * Registration, listing, deliveries with a real attempt, a retry refused while that attempt is in
     * flight and accepted after, deletion; and the event as the receiver got it, against the
     * document's top-level {@code webhooks}.
     */
    @Test
    void webhookAnswersMatchTheDocument() throws Exception {
        Chatbot bot = app().chatbots().create(fixture.owner().id(), "hooked");
        try (Receiver receiver = Receiver.ok()) {
            receiver.respondWith(n -> n == 1 ? receiver.blockThen(200) : 200);
            HttpResponse<String> registered = send(server, "POST", WEBHOOKS, fixture.key(),
                    "{\"endpoint\":\"" + receiver.url("/hook") + "\",\"events\":[\"leads.submit\"],\"chatbotId\":\"" + bot.id() + "\"}");
            assertEquals(201, registered.statusCode(), registered.body());
            String webhook = WEBHOOKS + "/" + field(registered, "id");
            String secret = field(registered, "secret");
            HttpResponse<String> list = get(WEBHOOKS, fixture.key());
            assertEquals(200, list.statusCode(), list.body());
            assertFalse(list.body().contains("whsec_"), "never the secrets: " + list.body());

            assertEquals(400, send(server, "POST", WEBHOOKS, fixture.key(), "{\"endpoint\":\"ftp://example.com/hook\"}").statusCode());
            assertEquals(415, send(server, "POST", WEBHOOKS, fixture.key(), "{\"endpoint\":\"ftp://example.com/hook\"}",
                    "Content-Type", "text/plain").statusCode());
            assertEquals(400, send(server, "POST", WEBHOOKS, fixture.key(), "{\"endpoint\":\"" + receiver.url("/") + "\",\"events\":[]}").statusCode());
            assertEquals(400, send(server, "POST", WEBHOOKS, fixture.key(), "{\"chatbotId\":\"" + bot.id() + "\"}").statusCode());
            assertEquals(404, send(server, "POST", WEBHOOKS, fixture.key(),
                    "{\"endpoint\":\"" + receiver.url("/") + "\",\"chatbotId\":\"" + fixture.otherChatbot().id() + "\"}").statusCode());

            HttpResponse<String> lead = send(server, "POST", capturePath(bot), null, "{\"email\":\"hooked@example.com\",\"conversationId\":\"c-1\"}");
            assertEquals(201, lead.statusCode(), lead.body());
            Receiver.Received event = receiver.awaitRequests(1).get(0);
            assertEventMatchesTheDocument(event, secret);
            assertEquals(field(lead, "id"), JSON.readTree(event.body()).path("payload").path("leadId").asText());

            String deliveries = webhook + "/deliveries";
            HttpResponse<String> inFlight = get(deliveries, fixture.key());
            assertEquals(200, inFlight.statusCode(), inFlight.body());
            String delivery = responseJson(inFlight).path("data").path(0).path("id").asText();
            assertEquals(event.header("webhook-id"), delivery);
            String retry = deliveries + "/" + delivery + "/retry";
            assertEquals(409, send(server, "POST", retry, fixture.key(), null).statusCode(), "the first attempt is held in flight");
            receiver.release();
            Receiver.await("the first attempt to be recorded", () ->
                    responseJson(get(deliveries, fixture.key())).path("data").path(0).path("status").asText().equals("succeeded"));
            HttpResponse<String> scheduled = send(server, "POST", retry, fixture.key(), null);
            assertEquals(202, scheduled.statusCode(), scheduled.body());
            receiver.awaitRequests(2);
            Receiver.await("the retry to be recorded", () ->
                    responseJson(get(deliveries + "?limit=1", fixture.key())).path("data").path(0).path("attempts").size() == 2);
            assertEquals(404, send(server, "POST", deliveries + "/msg_nope/retry", fixture.key(), null).statusCode());
            assertEquals(400, get(deliveries + "?limit=0", fixture.key()).statusCode());
            assertEquals(400, get(deliveries + "?limit=101", fixture.key()).statusCode());

            // A rotation: the next event is signed with both secrets, new first, as the document says.
            HttpResponse<String> rotated = send(server, "POST", webhook + "/rotate-secret", fixture.key(), null);
            assertEquals(200, rotated.statusCode(), rotated.body());
            String newSecret = field(rotated, "secret");
            assertFalse(newSecret.equals(secret));
            assertEquals(201, send(server, "POST", capturePath(bot), null, "{\"email\":\"rotated@example.com\"}").statusCode());
            Receiver.Received signedTwice = receiver.awaitRequests(3).get(2);
            assertEquals(standardSignature(newSecret, signedTwice) + " " + standardSignature(secret, signedTwice),
                    signedTwice.header("webhook-signature"));
            assertEquals(HexFormat.of().formatHex(hmac("HmacSHA1", newSecret.getBytes(StandardCharsets.UTF_8),
                    signedTwice.body())), signedTwice.header("x-chatbase-signature"));
            assertMatches(contract.document().path("webhooks").path("leads.submit").path("post").path("parameters").path(3).path("schema"),
                    JSON.valueToTree(signedTwice.header("webhook-signature")).toString(), "two signatures");

            HttpResponse<String> removed = send(server, "DELETE", webhook, fixture.key(), null);
            assertEquals(204, removed.statusCode(), removed.body());
            assertEquals(404, send(server, "DELETE", webhook, fixture.key(), null).statusCode());
            assertEquals(404, get(deliveries, fixture.key()).statusCode());
            assertEquals(404, send(server, "POST", retry, fixture.key(), null).statusCode());
            assertEquals(404, send(server, "POST", webhook + "/rotate-secret", fixture.key(), null).statusCode());
        }
    }

    /** The console's two API additions: leads per day, and the owner's keys. */
    @Test
    void leadStatsAndKeyAnswersMatchTheDocument() {
        String stats = "/api/v1/chatbots/" + fixture.chatbot().id() + "/lead-stats";
        HttpResponse<String> days = get(stats + "?startDate=2023-07-01&endDate=2023-07-02&timeZone=Europe/Berlin", fixture.key());
        assertEquals(200, days.statusCode(), days.body());
        assertEquals(200, get(stats, fixture.key()).statusCode());
        for (String bad : List.of("?startDate=2023-7-1", "?endDate=2023-02-30", "?startDate=2023-07-02&endDate=2023-07-01",
                "?startDate=2022-01-01&endDate=2023-07-01", "?timeZone=Mars/Olympus", "?timeZone=%2B02:00")) {
            assertEquals(400, get(stats + bad, fixture.key()).statusCode(), bad);
        }
        assertEquals(404, get("/api/v1/chatbots/" + fixture.otherChatbot().id() + "/lead-stats", fixture.key()).statusCode());
        assertEquals(401, get(stats, fixture.revokedKey()).statusCode());

        String keys = "/api/v1/api-keys";
        HttpResponse<String> created = send(server, "POST", keys, fixture.key(), "{\"name\":\"contract\"}");
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> list = get(keys, fixture.key());
        assertEquals(200, list.statusCode(), list.body());
        assertFalse(list.body().contains(field(created, "secret")), "never a secret in the list");
        assertEquals(400, send(server, "POST", keys, fixture.key(), "{}").statusCode());
        assertEquals(400, send(server, "POST", keys, fixture.key(), "{\"name\":\"" + "x".repeat(101) + "\"}").statusCode());
        assertEquals(415, send(server, "POST", keys, fixture.key(), "{\"name\":\"x\"}", "Content-Type", "text/plain").statusCode());
        assertEquals(204, send(server, "DELETE", keys + "/" + field(created, "id"), fixture.key(), null).statusCode());
        assertEquals(401, get(keys, field(created, "secret")).statusCode(), "the revoked key is refused");
        String theirs = app().apiKeys().create(fixture.otherChatbot().ownerId(), "theirs").key().id();
        assertEquals(404, send(server, "DELETE", keys + "/" + theirs, fixture.key(), null).statusCode());
        assertEquals(404, send(server, "DELETE", keys + "/key_nope", fixture.key(), null).statusCode());
    }

    private static String standardSignature(String secret, Receiver.Received event) throws Exception {
        String signed = event.header("webhook-id") + "." + event.header("webhook-timestamp") + "." + event.body();
        return "v1," + Base64.getEncoder().encodeToString(hmac("HmacSHA256",
                Base64.getDecoder().decode(secret.substring("whsec_".length())), signed));
    }

    /** The event against {@code webhooks.leads.submit}: each documented header and the body schema; the signatures verify. */
    private void assertEventMatchesTheDocument(Receiver.Received event, String secret) throws Exception {
        JsonNode operation = contract.document().path("webhooks").path("leads.submit").path("post");
        assertFalse(operation.isMissingNode(), "the document describes the leads.submit event");
        for (JsonNode parameter : operation.path("parameters")) {
            String value = event.header(parameter.path("name").asText());
            if (parameter.path("required").asBoolean()) {
                assertTrue(value != null, "event header " + parameter.path("name").asText() + " missing: " + event.headers());
            }
            if (value != null) {
                assertMatches(parameter.path("schema"), JSON.valueToTree(value).toString(), "event header " + parameter.path("name"));
            }
        }
        assertMatches(operation.at("/requestBody/content/application~1json/schema"), event.body(), "event body");

        assertEquals(HexFormat.of().formatHex(hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8),
                event.body())), event.header("x-chatbase-signature"));
        String signed = event.header("webhook-id") + "." + event.header("webhook-timestamp") + "." + event.body();
        assertEquals("v1," + Base64.getEncoder().encodeToString(hmac("HmacSHA256",
                Base64.getDecoder().decode(secret.substring("whsec_".length())), signed)), event.header("webhook-signature"));
    }

    private static byte[] hmac(String algorithm, byte[] key, String message) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    private void assertMatches(JsonNode schema, String json, String what) {
        assertFalse(schema.isMissingNode(), what + ": no schema in the document");
        ObjectNode wrapper = JSON.createObjectNode();
        wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        wrapper.setAll((ObjectNode) schema.deepCopy());
        wrapper.set("components", contract.document().get("components"));
        var errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(wrapper.toString(), InputFormat.JSON).validate(json, InputFormat.JSON);
        assertTrue(errors.isEmpty(), what + " does not match the document " + errors + ": " + json);
    }

    /** Every example in the document (parameters, headers, bodies, schemas) matches the schema it illustrates. */
    @Test
    void everyExampleMatchesItsSchema() {
        List<String> checked = new java.util.ArrayList<>();
        checkExamples(contract.document(), "#", checked);
        assertTrue(checked.size() > 50, "examples found: " + checked);
    }

    private void checkExamples(JsonNode node, String where, List<String> checked) {
        if (node.isObject()) {
            if (node.has("example")) {
                JsonNode schema = node.has("schema") ? node.get("schema") : node;
                assertMatches(schema, node.get("example").toString(), "example at " + where);
                checked.add(where);
            }
            if (node.has("examples") && node.has("schema") && node.get("examples").isObject()) {
                node.get("examples").fields().forEachRemaining(example -> {
                    assertMatches(node.get("schema"), example.getValue().path("value").toString(), "example at " + where + "/examples/" + example.getKey());
                    checked.add(where + "/examples/" + example.getKey());
                });
            }
            node.fields().forEachRemaining(child -> {
                if (!child.getKey().equals("example") && !child.getKey().equals("examples")) {
                    checkExamples(child.getValue(), where + "/" + child.getKey(), checked);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkExamples(node.get(i), where + "/" + i, checked);
            }
        }
    }

    /** A limit of one call: every authenticated route answers the documented 429 on the second, and so does the widget. */
    @Test
    void rateLimitedAnswersMatchTheDocument() {
        try (TestServer limited = TestServer.start(database, Map.of(
                "CHATLEADS_API_RATE_LIMIT", "1", "CHATLEADS_WIDGET_RATE_LIMIT", "1"))) {
            HttpResponse<String> first = send(limited, "GET", LEADS + "?chatbotId=" + fixture.chatbot().id(), fixture.key(), null);
            assertEquals(200, first.statusCode(), first.body());
            assertEquals("1", first.headers().firstValue("X-RateLimit-Limit").orElse(null));
            for (Route route : limited.server().routes()) {
                // A route the document lists with no security (the widget's public configuration, a
                // preflight) reads no key, so there is no key limit to reach.
                if (route.path().startsWith("/api/") && !route.method().equals("OPTIONS") && takesAKey(route)) {
                    String path = route.path().replaceAll("[{<][^}>]+[}>]", "x");
                    HttpResponse<String> refused = send(limited, route.method(), path, fixture.key(), route.method().equals("POST") ? "{}" : null);
                    assertEquals(429, refused.statusCode(), route + ": " + refused.body());
                }
            }
            Chatbot bot = app().chatbots().create(fixture.owner().id(), "limited");
            String body = "{\"email\":\"a@example.com\"}";
            assertEquals(201, send(limited, "POST", capturePath(bot), null, body, "Origin", "https://shop.example.com").statusCode());
            HttpResponse<String> widget = send(limited, "POST", capturePath(bot), null, body, "Origin", "https://shop.example.com");
            assertEquals(429, widget.statusCode(), widget.body());
            assertEquals("https://shop.example.com", widget.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                    "the widget can read why it was refused");
        }
    }

    private boolean takesAKey(Route route) {
        JsonNode security = contract.document().path("paths").path(route.path())
                .path(route.method().toLowerCase(java.util.Locale.ROOT)).path("security");
        return !(security.isArray() && security.isEmpty());
    }

    /** The widget's script, its public configuration (ETag, origins, capture switch) and the owner's settings. */
    @Test
    void widgetAnswersMatchTheDocument() {
        Chatbot bot = app().chatbots().create(fixture.owner().id(), "widget");
        String shop = "https://shop.example.com";

        HttpResponse<String> script = get("/widget/v1.js", null);
        assertEquals(200, script.statusCode());
        String scriptTag = script.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, send(server, "GET", "/widget/v1.js", null, null, "If-None-Match", scriptTag).statusCode());

        String config = "/api/v1/chatbots/" + bot.id() + "/widget";
        HttpResponse<String> drawn = send(server, "GET", config, null, null, "Origin", shop);
        assertEquals(200, drawn.statusCode(), drawn.body());
        String configTag = drawn.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, send(server, "GET", config, null, null, "Origin", shop, "If-None-Match", configTag).statusCode());

        String settings = "/api/v1/chatbots/" + bot.id() + "/widget-settings";
        HttpResponse<String> read = get(settings, fixture.key());
        assertEquals(200, read.statusCode(), read.body());
        HttpResponse<String> changed = send(server, "PUT", settings, fixture.key(),
                "{\"fields\":{\"phone\":\"optional\"},\"texts\":{\"submit\":\"Call me back\"},\"consentUrl\":\"https://shop.example.com/privacy\"}");
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals(200, send(server, "PUT", settings, fixture.key(), read.body()).statusCode(), "a GET answer goes back as it is");
        HttpResponse<String> withConsent = send(server, "PUT", settings, fixture.key(), "{\"consentUrl\":\"https://shop.example.com/privacy\"}");
        assertEquals(200, withConsent.statusCode(), withConsent.body());
        assertEquals(200, send(server, "GET", config, null, null, "Origin", shop).statusCode(), "with a consent line and three fields");
        assertEquals(400, send(server, "PUT", settings, fixture.key(), "{\"accentColor\":\"blue\"}").statusCode());
        assertEquals(415, send(server, "PUT", settings, fixture.key(), "{}", "Content-Type", "text/plain").statusCode());
        assertEquals(404, get("/api/v1/chatbots/" + fixture.otherChatbot().id() + "/widget-settings", fixture.key()).statusCode());
        assertEquals(404, send(server, "PUT", "/api/v1/chatbots/" + fixture.otherChatbot().id() + "/widget-settings", fixture.key(), "{}").statusCode());

        // a plain HTML form: the thank-you page, the owner's redirect, a page saying what was wrong; the honeypot
        String capture = capturePath(bot);
        String form = "application/x-www-form-urlencoded";
        HttpResponse<String> thanks = send(server, "POST", capture, null, "name=Ada+Lovelace&email=ada%40example.com",
                "Content-Type", form, "Origin", shop);
        assertEquals(200, thanks.statusCode(), thanks.body());
        assertTrue(thanks.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), thanks.headers().map().toString());
        assertEquals(400, send(server, "POST", capture, null, "email=nope", "Content-Type", form, "Origin", shop).statusCode());
        assertEquals(200, send(server, "PUT", settings, fixture.key(), "{\"redirectUrl\":\"https://shop.example.com/thanks\"}").statusCode());
        HttpResponse<String> redirected = send(server, "POST", capture, null, "email=grace%40example.com", "Content-Type", form, "Origin", shop);
        assertEquals(303, redirected.statusCode(), redirected.body());
        assertEquals("https://shop.example.com/thanks", redirected.headers().firstValue("Location").orElse(null));
        HttpResponse<String> trapped = send(server, "POST", capture, null, "{\"email\":\"bot@example.com\",\"website\":\"spam.example\"}", "Origin", shop);
        assertEquals(201, trapped.statusCode(), trapped.body());
        assertEquals("0", field(trapped, "id"), "answered like a success, stored nowhere");

        assertEquals(200, send(server, "POST", "/api/v1/update-chatbot-settings", fixture.key(),
                "{\"chatbotId\":\"" + bot.id() + "\",\"allowedOrigins\":[\"" + shop + "\"]}").statusCode());
        assertEquals(403, send(server, "GET", config, null, null, "Origin", "https://evil.example").statusCode());
        assertEquals(200, send(server, "POST", "/api/v1/update-chatbot-settings", fixture.key(),
                "{\"chatbotId\":\"" + bot.id() + "\",\"leadCapture\":false}").statusCode());
        assertEquals(404, send(server, "GET", config, null, null, "Origin", shop).statusCode());
    }

    /** Past CHATLEADS_HTTP_MAX_BODY_BYTES every route answers the documented 413, whether or not it reads bodies. */
    @Test
    void oversizedBodiesMatchTheDocument() {
        String big = "{\"chatbotId\":\"" + "x".repeat(4096) + "\"}";
        for (Route route : server.server().routes()) {
            String path = route.path().replaceAll("[{<][^}>]+[}>]", "x");
            HttpResponse<String> response = send(server, route.method(), path, fixture.key(), big, "Origin", "https://shop.example.com");
            assertEquals(413, response.statusCode(), route + ": " + response.body());
        }
    }

    /** Runs last by name order within the class only loosely; it checks what the tests above saw. */
    @Test
    void zzEveryDocumentedResponseOfTheseRoutesWasSeen() throws Exception {
        getLeadsAnswersMatchTheDocument();
        operationsAnswersMatchTheDocument();
        failuresMatchTheDocument();
        everyRouteAnswersOnlyWhatTheDocumentDescribes();
        leadCaptureAnswersMatchTheDocument();
        chatbotAnswersMatchTheDocument();
        webhookAnswersMatchTheDocument();
        widgetAnswersMatchTheDocument();
        leadStatsAndKeyAnswersMatchTheDocument();
        rateLimitedAnswersMatchTheDocument();
        oversizedBodiesMatchTheDocument();
        databaseOutagesMatchTheDocument();
        Set<String> missing = new TreeSet<>();
        for (String response : contract.documentedResponses()) {
            // every route: the API's and the operations'
            if (!contract.exercised().contains(response)) {
                missing.add(response);
            }
        }
        // 500 on the operations routes is the same shared answer, exercised on every API route
        missing.removeIf(r -> !r.startsWith("GET /api/") && !r.startsWith("POST /api/") && !r.startsWith("DELETE /api/")
                && !r.startsWith("PUT /api/") && !r.startsWith("OPTIONS /api/") && r.endsWith(" 500"));
        assertEquals(Set.of(), missing, "documented responses no test produced");
    }
}
