package io.chatleads.chatbot;

import io.chatleads.support.TestDatabase;
import org.junit.jupiter.api.Test;

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
        List<String> present = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            present.add(app().chatbots().create(tenant.owner().id(), "bot " + i).id());
        }
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
}
