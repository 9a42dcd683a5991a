package io.chatleads.lead;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatleads.Settings.ResponseEnvelope;
import io.chatleads.apikey.ApiKey;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * get-leads in each of the three response shapes (README "Compatibility"), chosen by the server's
 * default and by a key's own; two keys of one owner on one server each get their own.
 */
abstract class AbstractResponseEnvelopeApiTest extends ServerTestBase {

    private static final List<String> SEVEN = List.of("id", "created_at", "chatbot_owner_user_id", "chatbot_id", "phone",
            "email", "name");

    private Tenant tenantWithLeads() {
        Tenant tenant = newTenant();
        app().leads().create(new NewLead(tenant.chatbot().id(), tenant.owner().id(), "Ada", "ada@example.com", "+14155550100",
                null, Instant.parse("2023-07-10T12:34:56.789Z")));
        app().leads().create(new NewLead(tenant.chatbot().id(), tenant.owner().id(), null, "grace@example.com", null,
                null, Instant.parse("2023-07-09T08:00:00Z")));
        return tenant;
    }

    private static JsonNode page(TestServer target, Tenant tenant, String secret) {
        HttpResponse<String> response = target.get("/api/v1/get-leads?chatbotId=" + tenant.chatbot().id(), secret);
        assertEquals(200, response.statusCode(), response.body());
        return responseJson(response);
    }

    private static List<String> fieldNames(JsonNode lead) {
        List<String> names = new ArrayList<>();
        lead.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The leads of a body in the shape, checking that the body holds exactly that shape. */
    private static JsonNode leadsOf(JsonNode body, ResponseEnvelope shape) {
        assertEquals(1, body.size(), "one top-level field: " + body);
        JsonNode leads = switch (shape) {
            case DATA -> body.get("data");
            case COLLECTED_CUSTOMERS -> {
                assertEquals(1, body.get("collectedCustomers").size(), body.toString());
                yield body.get("collectedCustomers").get("data");
            }
            case COLLECTED_CUSTOMERS_ARRAY -> body.get("collectedCustomers");
        };
        assertTrue(leads != null && leads.isArray(), shape + " holds an array of leads: " + body);
        return leads;
    }

    private void assertShape(JsonNode body, ResponseEnvelope shape, Tenant tenant) {
        JsonNode leads = leadsOf(body, shape);
        assertEquals(2, leads.size(), body.toString());
        for (JsonNode lead : leads) {
            List<String> expected = new ArrayList<>(SEVEN);
            if (shape == ResponseEnvelope.COLLECTED_CUSTOMERS_ARRAY) {
                expected.add("account_id");
                assertEquals(tenant.owner().id(), lead.get("account_id").asText(), "account_id is the owner's id");
            }
            assertEquals(expected, fieldNames(lead), "exactly these fields, in this order");
            assertEquals(tenant.owner().id(), lead.get("chatbot_owner_user_id").asText());
        }
        assertEquals("ada@example.com", leads.get(0).get("email").asText(), "newest first");
        assertTrue(leads.get(1).get("name").isNull());
    }

    @Test
    void theServerDefaultChoosesTheShapeForKeysWithoutTheirOwn() {
        Tenant tenant = tenantWithLeads();
        assertShape(page(server, tenant, tenant.secret()), ResponseEnvelope.DATA, tenant);
        for (ResponseEnvelope shape : List.of(ResponseEnvelope.COLLECTED_CUSTOMERS, ResponseEnvelope.COLLECTED_CUSTOMERS_ARRAY)) {
            try (TestServer shaped = TestServer.start(database, Map.of("CHATLEADS_RESPONSE_ENVELOPE", shape.value()))) {
                assertShape(page(shaped, tenant, tenant.secret()), shape, tenant);
            }
        }
    }

    @Test
    void keysOfOneOwnerAnswerTheirOwnShapesOnOneServer() {
        Tenant tenant = tenantWithLeads();
        try (TestServer shaped = TestServer.start(database, Map.of("CHATLEADS_RESPONSE_ENVELOPE", "collectedCustomers"))) {
            for (ResponseEnvelope shape : ResponseEnvelope.values()) {
                String secret = app().apiKeys().create(tenant.owner().id(), "crm " + shape.value(), shape).secret();
                assertShape(page(shaped, tenant, secret), shape, tenant);
            }
            // the owner's key without a shape keeps the server's
            assertShape(page(shaped, tenant, tenant.secret()), ResponseEnvelope.COLLECTED_CUSTOMERS, tenant);
        }
    }

    @Test
    void aKeysShapeChangesAndGoesBackToTheDefault() {
        Tenant tenant = tenantWithLeads();
        ApiKey key = app().apiKeys().findBySecret(tenant.secret()).orElseThrow();
        assertNull(key.responseEnvelope());
        assertShape(page(server, tenant, tenant.secret()), ResponseEnvelope.DATA, tenant);
        // Through this server's repository: its cache drops the key at once, as on a revocation.
        assertTrue(app().apiKeys().setResponseEnvelope(key.id(), ResponseEnvelope.COLLECTED_CUSTOMERS_ARRAY));
        assertShape(page(server, tenant, tenant.secret()), ResponseEnvelope.COLLECTED_CUSTOMERS_ARRAY, tenant);
        assertTrue(app().apiKeys().setResponseEnvelope(key.id(), null));
        assertShape(page(server, tenant, tenant.secret()), ResponseEnvelope.DATA, tenant);
    }
}
