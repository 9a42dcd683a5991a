package io.chatleads.lead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.support.RawHttp;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rule of GET /api/v1/get-leads, through a real server. */
abstract class AbstractGetLeadsApiTest extends ServerTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String mentioned) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        String message = json(response).path("message").asText();
        assertTrue(message.contains(mentioned), "message '" + message + "' should mention '" + mentioned + "'");
    }

    private List<Long> ids(HttpResponse<String> response) {
        List<Long> ids = new ArrayList<>();
        json(response).path("data").forEach(lead -> ids.add(lead.path("id").asLong()));
        return ids;
    }

    private Lead addLead(Tenant tenant, String name, Instant createdAt) {
        return app().leads().create(new NewLead(tenant.chatbot().id(), tenant.owner().id(), name,
                name == null ? null : name.toLowerCase().replace(' ', '.') + "@example.com", null, null, createdAt));
    }

    private String leadsPath(Tenant tenant, String extraQuery) {
        return "/api/v1/get-leads?chatbotId=" + tenant.chatbot().id() + (extraQuery.isEmpty() ? "" : "&" + extraQuery);
    }

    // --- where pages are read ---

    /**
     * On PostgreSQL a page for a key in the cache is read on the event loop's own connection, so the
     * JDBC pool is not used at all; on SQLite every page goes through it. The pool's own usage count
     * tells which ({@link #jdbcUses}).
     */
    @Test
    void pagesOfACachedKeyUseTheJdbcPoolOnlyOnSqlite() {
        Tenant tenant = newTenant();
        addLead(tenant, "Pool Check", Instant.parse("2025-01-01T00:00:00Z"));
        String path = leadsPath(tenant, "");
        assertEquals(200, server.get(path, tenant.secret()).statusCode(), "the first call puts the key in the cache");
        double before = jdbcUses();
        for (int i = 0; i < 40; i++) {
            assertEquals(1, ids(server.get(path, tenant.secret())).size());
        }
        double used = jdbcUses() - before;
        if (kind() == TestDatabase.Kind.POSTGRES) {
            assertTrue(used < 20, "40 pages took " + used + " JDBC connections");
        } else {
            assertTrue(used >= 40, "40 pages took only " + used + " JDBC connections");
        }
    }


    // --- authentication ---

    @Test
    void missingMalformedUnknownOrRevokedKeyIs401WithBearerChallenge() {
        Tenant tenant = newTenant();
        String path = leadsPath(tenant, "");
        List<HttpResponse<String>> responses = List.of(
                server.get(path, null),
                server.send(server.request(path).header("Authorization", "Basic dXNlcjpwYXNz").build()),
                server.send(server.request(path).header("Authorization", "Bearer").build()),
                server.send(server.request(path).header("Authorization", tenant.secret()).build()),
                server.get(path, "cl_unknownUnknownUnknownUnknownUnknown0000000"));
        for (HttpResponse<String> response : responses) {
            assertError(response, 401, "");
            assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(""));
        }

        String keyId = app().apiKeys().findBySecret(tenant.secret()).orElseThrow().id();
        assertEquals(200, server.get(path, tenant.secret()).statusCode());
        app().apiKeys().revoke(keyId);
        HttpResponse<String> revoked = server.get(path, tenant.secret());
        assertError(revoked, 401, "revoked");
        assertEquals("Bearer", revoked.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "bearer", "BEARER", "bEaReR"})
    void bearerSchemeIsCaseInsensitive(String scheme) {
        Tenant tenant = newTenant();
        HttpResponse<String> response = server.send(server.request(leadsPath(tenant, ""))
                .header("Authorization", scheme + " " + tenant.secret()).build());
        assertEquals(200, response.statusCode(), response.body());
    }

    // --- chatbotId and ownership ---

    @Test
    void missingOrBlankChatbotIdIs400() {
        Tenant tenant = newTenant();
        assertError(server.get("/api/v1/get-leads", tenant.secret()), 400, "chatbotId");
        assertError(server.get("/api/v1/get-leads?chatbotId=", tenant.secret()), 400, "chatbotId");
        assertError(server.get("/api/v1/get-leads?chatbotId=%20%20", tenant.secret()), 400, "chatbotId");
    }

    /** PostgreSQL cannot compare text with U+0000 in it: this was a 500 there, a 404 on SQLite. */
    @Test
    void chatbotIdWithANulCharacterIs400NamingIt() {
        Tenant tenant = newTenant();
        assertError(server.get("/api/v1/get-leads?chatbotId=%00", tenant.secret()), 400, "chatbotId must not contain the NUL");
        assertError(server.get("/api/v1/get-leads?chatbotId=" + tenant.chatbot().id() + "%00", tenant.secret()),
                400, "chatbotId must not contain the NUL");
    }

    @Test
    void anotherOwnersChatbotLooksExactlyLikeAMissingOne() {
        Tenant me = newTenant();
        Tenant other = newTenant();
        addLead(other, "Secret Lead", Instant.now());
        HttpResponse<String> foreign = server.get(leadsPath(other, ""), me.secret());
        assertError(foreign, 404, other.chatbot().id());

        String missingId = other.chatbot().id().substring(1) + "x";
        HttpResponse<String> missing = server.get("/api/v1/get-leads?chatbotId=" + missingId, me.secret());
        assertError(missing, 404, missingId);
        assertEquals(foreign.body().replace(other.chatbot().id(), "ID"), missing.body().replace(missingId, "ID"));
        assertEquals(foreign.headers().map().keySet(), missing.headers().map().keySet());
        assertFalse(foreign.body().contains("Secret"));
    }

    // --- dates ---

    @ParameterizedTest
    @ValueSource(strings = {"2023-7-10", "2023-02-30", "2023-07-10T00:00", "20230710", "2023-13-01", "yesterday", "%20"})
    void malformedDatesAre400NamingTheParameter(String value) {
        Tenant tenant = newTenant();
        assertError(server.get(leadsPath(tenant, "startDate=" + value), tenant.secret()), 400, "startDate");
        assertError(server.get(leadsPath(tenant, "endDate=" + value), tenant.secret()), 400, "endDate");
    }

    /**
     * "%ZZ" or a lone "%" is not percent-encoding, and the JDK client will not send it, so it goes
     * over a raw socket. Such a parameter was dropped: the call answered the unfiltered range, 200.
     */
    @ParameterizedTest
    @ValueSource(strings = {"%ZZ", "2023-01-0%", "2023-01-01%2"})
    void aParameterThatIsNotValidlyPercentEncodedIs400NamingIt(String rawValue) throws IOException {
        Tenant tenant = newTenant();
        addLead(tenant, "Old", Instant.parse("2020-01-01T00:00:00Z"));
        for (String name : List.of("startDate", "endDate", "size")) {
            String target = leadsPath(tenant, name + "=" + rawValue);
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + tenant.secret() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = new BufferedInputStream(socket.getInputStream());
                String status = RawHttp.line(in);
                String body = new String(RawHttp.body(in, RawHttp.headers(in)), StandardCharsets.UTF_8);
                assertEquals("HTTP/1.1 400 Bad Request", status, target + " -> " + body);
                String message = JSON.readTree(body).path("message").asText();
                assertTrue(message.contains(name + " is not validly percent-encoded"), message);
            }
        }
    }

    @Test
    void startDateAfterEndDateIs400() {
        Tenant tenant = newTenant();
        assertError(server.get(leadsPath(tenant, "startDate=2023-07-11&endDate=2023-07-10"), tenant.secret()),
                400, "startDate");
        assertEquals(200, server.get(leadsPath(tenant, "startDate=2023-07-10&endDate=2023-07-10"), tenant.secret()).statusCode());
    }

    @Test
    void datesAreWholeUtcDaysBothInclusiveToTheMillisecond() {
        Tenant tenant = newTenant();
        Lead beforeStart = addLead(tenant, "Before Start", Instant.parse("2023-07-09T23:59:59.999Z"));
        Lead atStart = addLead(tenant, "At Start", Instant.parse("2023-07-10T00:00:00.000Z"));
        Lead middle = addLead(tenant, "Middle", Instant.parse("2023-07-11T12:00:00.000Z"));
        Lead atEnd = addLead(tenant, "At End", Instant.parse("2023-07-13T23:59:59.999Z"));
        Lead afterEnd = addLead(tenant, "After End", Instant.parse("2023-07-14T00:00:00.000Z"));

        HttpResponse<String> both = server.get(leadsPath(tenant, "startDate=2023-07-10&endDate=2023-07-13&size=100"), tenant.secret());
        assertEquals(List.of(atEnd.id(), middle.id(), atStart.id()), ids(both));

        HttpResponse<String> startOnly = server.get(leadsPath(tenant, "startDate=2023-07-10&size=100"), tenant.secret());
        assertEquals(List.of(afterEnd.id(), atEnd.id(), middle.id(), atStart.id()), ids(startOnly));

        HttpResponse<String> endOnly = server.get(leadsPath(tenant, "endDate=2023-07-13&size=100"), tenant.secret());
        assertEquals(List.of(atEnd.id(), middle.id(), atStart.id(), beforeStart.id()), ids(endOnly));

        HttpResponse<String> oneDay = server.get(leadsPath(tenant, "startDate=2023-07-09&endDate=2023-07-09"), tenant.secret());
        assertEquals(List.of(beforeStart.id()), ids(oneDay));
    }

    // --- page and size ---

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "1.5", "1e3", "+1", "99999999999", "%20"})
    void malformedPageIs400(String value) {
        Tenant tenant = newTenant();
        assertError(server.get(leadsPath(tenant, "page=" + value), tenant.secret()), 400, "page");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-5", "1001", "10.0", "2147483648"})
    void malformedOrTooLargeSizeIs400NeverClamped(String value) {
        Tenant tenant = newTenant();
        assertError(server.get(leadsPath(tenant, "size=" + value), tenant.secret()), 400, "size");
    }

    @Test
    void repeatedParameterIs400() {
        Tenant tenant = newTenant();
        assertError(server.get(leadsPath(tenant, "page=1&page=2"), tenant.secret()), 400, "page");
    }

    @Test
    void defaultsArePageOneOfTen() {
        Tenant tenant = newTenant();
        Instant base = Instant.parse("2024-05-01T00:00:00Z");
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            created.add(0, addLead(tenant, "Lead " + i, base.plusSeconds(i)).id());
        }
        assertEquals(created.subList(0, 10), ids(server.get(leadsPath(tenant, ""), tenant.secret())));
        assertEquals(created.subList(10, 12), ids(server.get(leadsPath(tenant, "page=2"), tenant.secret())));
        assertEquals(12, ids(server.get(leadsPath(tenant, "size=1000"), tenant.secret())).size());
    }

    @Test
    void pagingWithAnySizeReturnsEveryLeadExactlyOnceNewestFirst() {
        Tenant tenant = newTenant();
        Instant base = Instant.parse("2023-01-01T00:00:00Z");
        List<Lead> created = new ArrayList<>();
        app().database().jdbi().useTransaction(handle -> {
            for (int i = 0; i < 1_234; i++) {
                // Every fifth lead shares its millisecond with the previous one: ties must page stably.
                Instant createdAt = base.plusMillis((i / 5) * 60_000L + (i % 5 == 4 ? 0 : i % 5));
                created.add(app().leads().insert(handle, new NewLead(tenant.chatbot().id(), tenant.owner().id(),
                        "Lead " + i, "lead" + i + "@example.com", null, null, createdAt)));
            }
        });
        List<Long> expected = created.stream()
                .sorted((a, b) -> a.createdAt().equals(b.createdAt())
                        ? Long.compare(b.id(), a.id()) : b.createdAt().compareTo(a.createdAt()))
                .map(Lead::id).toList();

        for (int size : new int[]{7, 100, 1000}) {
            List<Long> seen = new ArrayList<>();
            int page = 1;
            while (true) {
                HttpResponse<String> response = server.get(leadsPath(tenant, "page=" + page + "&size=" + size), tenant.secret());
                assertEquals(200, response.statusCode());
                List<Long> ids = ids(response);
                seen.addAll(ids);
                if (ids.size() < size) {
                    break;
                }
                page++;
            }
            assertEquals(expected, seen, "size " + size);
            assertEquals(created.size(), new HashSet<>(seen).size());
        }
    }

    @Test
    void pagePastTheEndIsAnEmptyList() {
        Tenant tenant = newTenant();
        addLead(tenant, "Only", Instant.now());
        HttpResponse<String> response = server.get(leadsPath(tenant, "page=5"), tenant.secret());
        assertEquals(200, response.statusCode());
        assertEquals(0, json(response).path("data").size());
        assertTrue(json(response).path("data").isArray());
        assertTrue(response.headers().firstValue("Link").isEmpty());
    }

    @Test
    void linkHeaderNamesTheNextPageOnlyWhenOneExists() {
        Tenant tenant = newTenant();
        Instant base = Instant.parse("2023-07-10T10:00:00Z");
        for (int i = 0; i < 20; i++) {
            addLead(tenant, "L" + i, base.plusSeconds(i));
        }
        String first = leadsPath(tenant, "startDate=2023-07-10&endDate=2023-07-10&size=8");
        HttpResponse<String> page1 = server.get(first, tenant.secret());
        Set<Long> seen = new HashSet<>(ids(page1));
        String link = page1.headers().firstValue("Link").orElseThrow();
        Matcher matcher = NEXT.matcher(link);
        assertTrue(matcher.matches(), link);
        URI next = URI.create(matcher.group(1));
        assertTrue(next.getQuery().contains("startDate=2023-07-10"), next.toString());
        assertTrue(next.getQuery().contains("page=2"), next.toString());

        HttpResponse<String> page2 = server.send(HttpRequest.newBuilder(next)
                .header("Authorization", "Bearer " + tenant.secret()).build());
        seen.addAll(ids(page2));
        Matcher third = NEXT.matcher(page2.headers().firstValue("Link").orElseThrow());
        assertTrue(third.matches());
        HttpResponse<String> page3 = server.send(HttpRequest.newBuilder(URI.create(third.group(1)))
                .header("Authorization", "Bearer " + tenant.secret()).build());
        seen.addAll(ids(page3));
        assertEquals(4, ids(page3).size());
        assertTrue(page3.headers().firstValue("Link").isEmpty(), "no next after the last page");
        assertEquals(20, seen.size());

        // Exactly size leads left: the last full page has no next link either.
        HttpResponse<String> exact = server.get(leadsPath(tenant, "size=10&page=2"), tenant.secret());
        assertEquals(10, ids(exact).size());
        assertTrue(exact.headers().firstValue("Link").isEmpty());
    }

    // --- body shape ---

    @Test
    void eachLeadHasExactlyTheSevenFieldsInTheirFormats() {
        Tenant tenant = newTenant();
        Lead full = app().leads().create(new NewLead(tenant.chatbot().id(), tenant.owner().id(), "Ada Lovelace",
                "ada@example.com", "+14155550100", "conv-9", Instant.parse("2023-07-10T12:34:56Z")));
        Lead sparse = app().leads().create(new NewLead(tenant.chatbot().id(), tenant.owner().id(), null,
                null, "+442071838750", null, Instant.parse("2023-07-09T00:00:00.007Z")));

        JsonNode body = json(server.get(leadsPath(tenant, ""), tenant.secret()));
        assertEquals(List.of("data"), fieldNames(body));
        JsonNode first = body.path("data").get(0);
        assertEquals(List.of("id", "created_at", "chatbot_owner_user_id", "chatbot_id", "phone", "email", "name"),
                fieldNames(first));
        assertTrue(first.path("id").isIntegralNumber());
        assertEquals(full.id(), first.path("id").asLong());
        assertEquals("2023-07-10T12:34:56.000Z", first.path("created_at").asText());
        assertEquals(tenant.owner().id(), first.path("chatbot_owner_user_id").asText());
        assertEquals(tenant.chatbot().id(), first.path("chatbot_id").asText());
        assertEquals("+14155550100", first.path("phone").asText());
        assertEquals("ada@example.com", first.path("email").asText());
        assertEquals("Ada Lovelace", first.path("name").asText());

        JsonNode second = body.path("data").get(1);
        assertEquals(sparse.id(), second.path("id").asLong());
        assertEquals("2023-07-09T00:00:00.007Z", second.path("created_at").asText());
        assertTrue(second.path("name").isNull());
        assertTrue(second.path("email").isNull());
    }

    @Test
    void collectedCustomersEnvelopeWrapsTheSameList() {
        Tenant tenant = newTenant();
        Lead lead = addLead(tenant, "Wrapped", Instant.now());
        try (TestServer wrapped = TestServer.start(database, Map.of("CHATLEADS_RESPONSE_ENVELOPE", "collectedCustomers"))) {
            JsonNode body = json(wrapped.get(leadsPath(tenant, ""), tenant.secret()));
            assertEquals(List.of("collectedCustomers"), fieldNames(body));
            assertEquals(List.of("data"), fieldNames(body.path("collectedCustomers")));
            assertEquals(lead.id(), body.path("collectedCustomers").path("data").get(0).path("id").asLong());
        }
    }

    // --- parameters in a JSON body ---

    @Test
    void jsonBodyParametersAreReadAndTheQueryStringWins() {
        Tenant tenant = newTenant();
        Instant base = Instant.parse("2023-08-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            addLead(tenant, "B" + i, base.plusSeconds(i));
        }
        String body = "{\"chatbotId\":\"" + tenant.chatbot().id() + "\",\"size\":2,\"page\":\"1\",\"startDate\":\"2023-08-01\"}";
        HttpResponse<String> fromBody = server.send(server.request("/api/v1/get-leads")
                .header("Authorization", "Bearer " + tenant.secret())
                .header("Content-Type", "application/json")
                .method("GET", HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(200, fromBody.statusCode(), fromBody.body());
        assertEquals(2, ids(fromBody).size());

        HttpResponse<String> queryWins = server.send(server.request("/api/v1/get-leads?size=3")
                .header("Authorization", "Bearer " + tenant.secret())
                .method("GET", HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(3, ids(queryWins).size());

        HttpResponse<String> badBodyValue = server.send(server.request("/api/v1/get-leads")
                .header("Authorization", "Bearer " + tenant.secret())
                .method("GET", HttpRequest.BodyPublishers.ofString(body.replace("\"size\":2", "\"size\":0"))).build());
        assertError(badBodyValue, 400, "size");
        // A number that is not an integer was "page must be a string", though numbers are accepted.
        HttpResponse<String> fractionalPage = server.send(server.request("/api/v1/get-leads")
                .header("Authorization", "Bearer " + tenant.secret())
                .method("GET", HttpRequest.BodyPublishers.ofString(body.replace("\"page\":\"1\"", "\"page\":1.5"))).build());
        assertError(fractionalPage, 400, "page must be an integer from 1 to 2147483647, got '1.5'");
        HttpResponse<String> booleanSize = server.send(server.request("/api/v1/get-leads")
                .header("Authorization", "Bearer " + tenant.secret())
                .method("GET", HttpRequest.BodyPublishers.ofString(body.replace("\"size\":2", "\"size\":true"))).build());
        assertError(booleanSize, 400, "size must be a string or a number");

        for (String notAnObject : List.of("[1,2]", "{not json", "\"text\"")) {
            HttpResponse<String> response = server.send(server.request(leadsPath(tenant, ""))
                    .header("Authorization", "Bearer " + tenant.secret())
                    .method("GET", HttpRequest.BodyPublishers.ofString(notAnObject)).build());
            assertError(response, 400, "JSON object");
        }
    }

    // --- every other answer is JSON too ---

    @Test
    void unknownRouteIs404AndWrongMethodIs405AsJson() {
        assertError(server.get("/api/v1/no-such-thing", null), 404, "/api/v1/no-such-thing");
        HttpResponse<String> post = server.send(server.request("/api/v1/get-leads")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertError(post, 405, "POST");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
