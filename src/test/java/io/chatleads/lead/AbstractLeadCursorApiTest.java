package io.chatleads.lead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keyset {@code cursor} extension of get-leads (docs/performance.md), through a real server. */
abstract class AbstractLeadCursorApiTest extends ServerTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    private Tenant tenant;
    private List<Long> expectedInRange;
    private List<Long> expectedAll;

    /** 1,234 leads over three days, with runs of equal timestamps that only the id orders. */
    private void seed() {
        if (tenant != null) {
            return;
        }
        tenant = newTenant();
        Instant base = Instant.parse("2024-03-01T00:00:00Z");
        List<Lead> created = new ArrayList<>();
        app().database().jdbi().useTransaction(handle -> {
            for (int i = 0; i < 1_234; i++) {
                Instant createdAt = base.plusMillis((i / 4) * 700_000L + (i % 4 == 3 ? 0 : i % 4));
                created.add(app().leads().insert(handle, new NewLead(tenant.chatbot().id(), tenant.owner().id(),
                        "Lead " + i, "lead" + i + "@example.com", null, null, createdAt)));
            }
        });
        List<Lead> newestFirst = created.stream()
                .sorted((a, b) -> a.createdAt().equals(b.createdAt())
                        ? Long.compare(b.id(), a.id()) : b.createdAt().compareTo(a.createdAt()))
                .toList();
        expectedAll = newestFirst.stream().map(Lead::id).toList();
        long from = Instant.parse("2024-03-02T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2024-03-03T23:59:59.999Z").toEpochMilli();
        expectedInRange = newestFirst.stream()
                .filter(l -> l.createdAt().toEpochMilli() >= from && l.createdAt().toEpochMilli() <= to)
                .map(Lead::id).toList();
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static List<Long> ids(HttpResponse<String> response) {
        List<Long> ids = new ArrayList<>();
        json(response).path("data").forEach(lead -> ids.add(lead.path("id").asLong()));
        return ids;
    }

    private static Optional<URI> next(HttpResponse<String> response) {
        return response.headers().firstValue("Link").map(link -> {
            Matcher matcher = NEXT.matcher(link);
            assertTrue(matcher.matches(), link);
            return URI.create(matcher.group(1));
        });
    }

    private HttpResponse<String> get(URI uri) {
        return server.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + tenant.secret()).build());
    }

    private String path(String query) {
        return "/api/v1/get-leads?chatbotId=" + tenant.chatbot().id() + "&" + query;
    }

    /** Follows rel=next from the first page and returns every id seen, in order. */
    private List<Long> followLinks(String firstQuery, int size) {
        List<Long> seen = new ArrayList<>();
        Optional<URI> next = Optional.of(server.uri(path(firstQuery)));
        int page = 0;
        while (next.isPresent()) {
            HttpResponse<String> response = get(next.get());
            assertEquals(200, response.statusCode(), response.body());
            page++;
            List<Long> ids = ids(response);
            seen.addAll(ids);
            next = next(response);
            if (next.isPresent()) {
                assertEquals(size, ids.size(), "only the last page is short");
                String query = next.get().getRawQuery();
                assertTrue(query.contains("page=" + (page + 1)), "the page number still counts: " + query);
                assertTrue(query.contains("cursor="), "the next link carries a cursor: " + query);
            }
        }
        return seen;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100, 1000})
    void followingTheCursorFindsEveryLeadOfTheRangeExactlyOnceNewestFirst(int size) {
        seed();
        List<Long> seen = followLinks("startDate=2024-03-02&endDate=2024-03-03&size=" + size, size);
        assertEquals(expectedInRange, seen);
        assertEquals(seen.size(), new HashSet<>(seen).size());
    }

    @Test
    void followingTheCursorWithoutDatesFindsEveryLead() {
        seed();
        assertEquals(expectedAll, followLinks("size=50", 50));
    }

    @Test
    void aCursorPageEqualsTheNumberedPageAndPageNumbersStillWork() {
        seed();
        HttpResponse<String> page1 = server.get(path("size=100"), tenant.secret());
        URI next = next(page1).orElseThrow();
        HttpResponse<String> byCursor = get(next);
        HttpResponse<String> byNumber = server.get(path("size=100&page=2"), tenant.secret());
        assertEquals(ids(byNumber), ids(byCursor));
        assertEquals(expectedAll.subList(100, 200), ids(byCursor));
        // Deep numbered pages (the deferred join) give the same leads as the plain order.
        assertEquals(expectedAll.subList(1100, 1200), ids(server.get(path("size=100&page=12"), tenant.secret())));
        assertEquals(expectedAll.subList(1200, 1234), ids(server.get(path("size=100&page=13"), tenant.secret())));
        assertEquals(0, ids(server.get(path("size=100&page=14"), tenant.secret())).size());
    }

    @Test
    void theCursorInTheQueryStringOrTheJsonBody() {
        seed();
        String cursor = cursorOf(next(server.get(path("size=10"), tenant.secret())).orElseThrow());
        HttpResponse<String> fromBody = server.send(server.request(path("size=10"))
                .header("Authorization", "Bearer " + tenant.secret())
                .header("Content-Type", "application/json")
                .method("GET", HttpRequest.BodyPublishers.ofString("{\"cursor\":\"" + cursor + "\"}"))
                .build());
        assertEquals(200, fromBody.statusCode(), fromBody.body());
        assertEquals(expectedAll.subList(10, 20), ids(fromBody));
    }

    private static String cursorOf(URI next) {
        for (String pair : next.getRawQuery().split("&")) {
            if (pair.startsWith("cursor=")) {
                return URLDecoder.decode(pair.substring("cursor=".length()), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no cursor in " + next);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "not a cursor", "AQAAAAAAAAAAAAAAAAAAAA", "AgAAAYxAAAAAAAAAAAAAAAE",
            "AQAAAYxAAAAAAAAAAAAAAAE=", "AQAAAYxAAAAAAAAAAAAAAA!", "AQAAAYxAAAAAAAAAAAAAAAEA", "AQAAAYvP5WgA__________8"})
    void aMalformedCursorIs400NamingIt(String cursor) {
        seed();
        HttpResponse<String> response = server.get(
                path("size=10&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)), tenant.secret());
        assertEquals(400, response.statusCode(), cursor + " -> " + response.body());
        assertTrue(json(response).path("message").asText().contains("cursor"), response.body());
    }

    @Test
    void aWellFormedCursorPastTheEndIsAnEmptyPage() {
        seed();
        byte[] raw = java.nio.ByteBuffer.allocate(17).put((byte) 1).putLong(0L).putLong(0L).array();
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        HttpResponse<String> response = server.get(path("size=10&cursor=" + cursor), tenant.secret());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(0, ids(response).size());
        assertTrue(response.headers().firstValue("Link").isEmpty());
    }

    /**
     * With CHATLEADS_PUBLIC_URL the next link is built on it, whatever the request's scheme or Host
     * says: behind a proxy that terminates TLS the request arrives as http, and a Host header is
     * the client's to write.
     */
    @Test
    void theNextLinkIsBuiltOnThePublicUrlWhenOneIsSet() throws Exception {
        seed();
        String forgedHost = "GET " + path("size=10") + " HTTP/1.1\r\nHost: forged.example\r\nAuthorization: Bearer "
                + tenant.secret() + "\r\nConnection: close\r\n\r\n";
        assertTrue(linkOf(server.port(), forgedHost).startsWith("<http://forged.example/api/v1/get-leads?"),
                "without the setting the link follows the request");
        try (io.chatleads.support.TestServer behindProxy = io.chatleads.support.TestServer.start(database,
                java.util.Map.of("CHATLEADS_PUBLIC_URL", "https://leads.example.com/"))) {
            String link = linkOf(behindProxy.port(), forgedHost);
            assertTrue(link.startsWith("<https://leads.example.com/api/v1/get-leads?chatbotId=" + tenant.chatbot().id() + "&"), link);
            assertTrue(link.contains("&cursor="), link);
        }
    }

    private static String linkOf(int port, String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            java.io.InputStream in = socket.getInputStream();
            assertEquals("HTTP/1.1 200 OK", io.chatleads.support.RawHttp.line(in));
            return io.chatleads.support.RawHttp.headers(in).getOrDefault("link", "(no Link header)");
        }
    }
}
