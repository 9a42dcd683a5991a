package io.chatleads.ops;

import io.chatleads.http.ApiServer;
import io.chatleads.support.Fixture;
import io.chatleads.support.OpenApiContract;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document and the running server cannot drift apart: every route the server registers
 * is in the document and the other way round, and every answer the server gives in these tests (each
 * status class, including 500 and 503) matches what the document says about it.
 */
abstract class AbstractOpenApiContractTest extends ServerTestBase {

    private static final String LEADS = "/api/v1/get-leads";

    private final OpenApiContract contract = OpenApiContract.load();
    private Fixture fixture;

    @Override
    protected Map<String, String> serverEnv() {
        return Map.of("CHATLEADS_HTTP_MAX_BODY_BYTES", "2048");
    }

    @BeforeAll
    void createData() {
        fixture = Fixture.create(server.app(), 25);
    }

    private HttpResponse<String> send(TestServer target, String method, String pathAndQuery, String key, String body) {
        HttpRequest.Builder request = target.request(pathAndQuery)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
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
        List<ApiServer.Route> routes = server.server().routes();
        assertTrue(routes.contains(new ApiServer.Route("GET", LEADS)), "the server reports its routes: " + routes);
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

        for (String bad : List.of("", "?chatbotId=", chatbot + "&startDate=2023-7-10", chatbot + "&endDate=2023-02-30",
                chatbot + "&startDate=2023-07-10&endDate=2023-07-01", chatbot + "&page=0", chatbot + "&size=1001",
                chatbot + "&size=ten", chatbot + "&page=1&page=2")) {
            HttpResponse<String> response = get(LEADS + bad, fixture.key());
            assertEquals(400, response.statusCode(), bad + ": " + response.body());
        }
        assertEquals(400, send(server, "GET", LEADS + chatbot, fixture.key(), "[1,2]").statusCode());

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

    /** With the database gone, get-leads is 500 and readiness 503; both answers are documented. */
    @Test
    void failuresMatchTheDocument() {
        try (TestServer broken = TestServer.start(database)) {
            broken.app().database().dataSource().close();
            HttpResponse<String> leads = send(broken, "GET", LEADS + "?chatbotId=" + fixture.chatbot().id(), fixture.key(), null);
            assertEquals(500, leads.statusCode());
            assertEquals("{\"message\":\"internal server error\"}", leads.body());
            HttpResponse<String> ready = send(broken, "GET", "/health/ready", null, null);
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("\"status\":\"unavailable\""), ready.body());
        }
    }

    /**
     * Every registered route, whoever added it, called without credentials and with nonsense: the
     * answer, whatever it is, must be one the document describes.
     */
    @Test
    void everyRouteAnswersOnlyWhatTheDocumentDescribes() {
        for (ApiServer.Route route : server.server().routes()) {
            String path = route.path().replaceAll("[{<][^}>]+[}>]", "does-not-exist");
            send(server, route.method(), path, null, route.method().equals("GET") ? null : "{}");
            send(server, route.method(), path + "?page=-1&size=x", "cl_not-a-key", route.method().equals("GET") ? null : "not json");
        }
    }

    /** Runs last by name order within the class only loosely; it checks what the tests above saw. */
    @Test
    void zzEveryDocumentedResponseOfTheseRoutesWasSeen() {
        getLeadsAnswersMatchTheDocument();
        operationsAnswersMatchTheDocument();
        failuresMatchTheDocument();
        Set<String> missing = new TreeSet<>();
        for (String response : contract.documentedResponses()) {
            boolean ours = response.startsWith("GET " + LEADS + " ") || response.startsWith("GET /health/")
                    || response.startsWith("GET /metrics ") || response.startsWith("GET /openapi.json ")
                    || response.startsWith("GET /docs ");
            if (ours && !contract.exercised().contains(response)) {
                missing.add(response);
            }
        }
        // 413 and 500 on the operations routes are the same shared answers, exercised on get-leads
        missing.removeIf(r -> !r.startsWith("GET " + LEADS) && (r.endsWith(" 413") || r.endsWith(" 500")));
        assertEquals(Set.of(), missing, "documented responses no test produced");
    }
}
