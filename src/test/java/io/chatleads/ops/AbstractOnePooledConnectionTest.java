package io.chatleads.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatleads.support.ServerTestBase;
import io.chatleads.webhook.EndpointPolicy;
import io.chatleads.webhook.Receiver;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code CHATLEADS_DB_POOL_SIZE=1}, the least the settings take: the server starts through the
 * production wiring (migrations included) and serves reads, captures and its background work
 * (the webhook worker, readiness) with one pooled connection.
 */
abstract class AbstractOnePooledConnectionTest extends ServerTestBase {

    @Override
    protected Map<String, String> serverEnv() {
        return Map.of("CHATLEADS_DB_POOL_SIZE", "1",
                EndpointPolicy.ALLOW_PRIVATE_SETTING, "true",
                "CHATLEADS_WEBHOOK_POLL_MS", "20");
    }

    private HttpResponse<String> capture(Tenant tenant, String email, String idempotencyKey) {
        HttpRequest.Builder request = server.request("/api/v1/chatbots/" + tenant.chatbot().id() + "/leads")
                .header("Authorization", "Bearer " + tenant.secret())
                .header("Content-Type", "application/json");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return server.send(request.POST(HttpRequest.BodyPublishers.ofString(
                "{\"name\":\"Ada\",\"email\":\"" + email + "\"}")).build());
    }

    @Test
    void capturesAndGetLeadsAreServed() {
        assertEquals(1, app().database().dataSource().getMaximumPoolSize());
        Tenant tenant = newTenant();
        HttpResponse<String> stored = capture(tenant, "one@example.com", null);
        assertEquals(201, stored.statusCode(), stored.body());
        HttpResponse<String> once = capture(tenant, "two@example.com", "key-1");
        assertEquals(201, once.statusCode(), once.body());
        HttpResponse<String> replayed = capture(tenant, "two@example.com", "key-1");
        assertEquals(200, replayed.statusCode(), replayed.body());

        HttpResponse<String> page = server.get("/api/v1/get-leads?chatbotId=" + tenant.chatbot().id(), tenant.secret());
        assertEquals(200, page.statusCode(), page.body());
        JsonNode leads = responseJson(page).get("data");
        assertEquals(2, leads.size(), page.body());
        assertTrue(page.body().contains("one@example.com") && page.body().contains("two@example.com"), page.body());
    }

    @Test
    void routesOnThePoolReadinessAndTheWebhookWorkerAreServed() {
        Tenant tenant = newTenant();
        HttpResponse<String> chatbots = server.get("/api/v1/get-chatbots", tenant.secret());
        assertEquals(200, chatbots.statusCode(), chatbots.body());
        HttpResponse<String> ready = server.get("/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        try (Receiver receiver = Receiver.ok()) {
            HttpResponse<String> webhook = server.send(server.request("/api/v1/webhooks")
                    .header("Authorization", "Bearer " + tenant.secret())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"" + receiver.url("/hook") + "\"}")).build());
            assertEquals(201, webhook.statusCode(), webhook.body());
            assertEquals(201, capture(tenant, "hooked@example.com", null).statusCode());
            List<Receiver.Received> got = receiver.awaitRequests(1);
            assertTrue(got.get(0).body().contains("hooked@example.com"), got.get(0).body());
        }
    }
}
