package io.chatleads.chatbot;

import io.chatleads.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresMissingChatbotApiTest extends AbstractMissingChatbotApiTest {
    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }

    /**
     * On PostgreSQL the get-leads guard reads an owner it does not hold on the event loop's own
     * connection, like the page: chatbots asked for the first time (a sync job's usual request, once
     * a minute per chatbot, longer apart than the cache's TTL) take no JDBC connection at all,
     * present ones and missing ones alike.
     */
    @Test
    void firstLookUpsOfChatbotOwnersTakeNoJdbcConnection() {
        Tenant tenant = newTenant();
        List<String> present = newChatbots(tenant, 20);
        assertEquals(200, server.get("/api/v1/get-leads?chatbotId=" + tenant.chatbot().id(), tenant.secret()).statusCode(),
                "the key is verified (and cached) before counting");
        double before = jdbcUses();
        for (String id : present) {
            HttpResponse<String> page = server.get("/api/v1/get-leads?chatbotId=" + id, tenant.secret());
            assertEquals(200, page.statusCode(), page.body());
            HttpResponse<String> missing = server.get("/api/v1/get-leads?chatbotId=" + ChatbotRepository.newId(), tenant.secret());
            assertEquals(404, missing.statusCode(), missing.body());
        }
        double used = jdbcUses() - before;
        assertTrue(used < 20, "40 first look-ups took " + used + " JDBC connections");
    }

    /** The same for widget submissions: a chatbot's capture settings read on the event loop on a miss. */
    @Test
    void firstSubmissionsToChatbotsTakeNoJdbcConnection() {
        Tenant tenant = newTenant();
        List<String> present = newChatbots(tenant, 20);
        double before = jdbcUses();
        for (String id : present) {
            HttpResponse<String> stored = submission(id);
            assertEquals(201, stored.statusCode(), stored.body());
            HttpResponse<String> missing = submission(ChatbotRepository.newId());
            assertEquals(404, missing.statusCode(), missing.body());
        }
        double used = jdbcUses() - before;
        assertTrue(used < 20, "40 first submissions took " + used + " JDBC connections");
        for (String id : present) {
            HttpResponse<String> page = server.get("/api/v1/get-leads?chatbotId=" + id, tenant.secret());
            assertTrue(page.body().contains("visitor@example.com"), "the submission to " + id + " was stored: " + page.body());
        }
    }

    private HttpResponse<String> submission(String chatbotId) {
        return server.send(server.request("/api/v1/chatbots/" + chatbotId + "/leads")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"visitor@example.com\"}")).build());
    }

    // Created through this server, so none of them is in its caches yet.
    private List<String> newChatbots(Tenant tenant, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(app().chatbots().create(tenant.owner().id(), "bot " + i).id());
        }
        return ids;
    }
}
