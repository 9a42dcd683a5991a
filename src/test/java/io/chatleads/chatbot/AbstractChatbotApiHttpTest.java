package io.chatleads.chatbot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.app.Chatleads;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;
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
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** get-chatbots, create-chatbot, update-chatbot-settings, delete-chatbot through a real server. */
abstract class AbstractChatbotApiHttpTest extends ServerTestBase {

    Owner owner;
    String secret;

    @BeforeEach
    void newOwner() {
        owner = app.owners().create("o-" + UUID.randomUUID() + "@example.com");
        secret = app.apiKeys().create(owner.id(), "k").secret();
    }

    HttpResponse<String> send(String method, String path, String body, String key) {
        HttpRequest.Builder b = server.request(path).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return server.send(b.build());
    }

    @Test
    void createListUpdateDelete() {
        HttpResponse<String> created = send("POST", "/api/v1/create-chatbot", "{\"chatbotName\":\"Support\"}", secret);
        assertEquals(200, created.statusCode(), created.body());
        String id = responseJson(created).get("chatbotId").asText();
        assertEquals(21, id.length());

        HttpResponse<String> list = send("GET", "/api/v1/get-chatbots", null, secret);
        assertEquals(200, list.statusCode());
        JsonNode bots = responseJson(list).get("chatbots").get("data");
        assertEquals(1, bots.size());
        assertEquals(id, bots.get(0).get("id").asText());
        assertEquals("Support", bots.get(0).get("name").asText());
        assertTrue(bots.get(0).get("leadCapture").asBoolean());

        HttpResponse<String> updated = send("POST", "/api/v1/update-chatbot-settings", """
                {"chatbotId":"%s","name":"Sales","leadCapture":false,"defaultRegion":"fr","allowedOrigins":["https://a.example"]}
                """.formatted(id), secret);
        assertEquals(200, updated.statusCode(), updated.body());
        JsonNode bot = responseJson(updated);
        assertEquals("Sales", bot.get("name").asText());
        assertFalse(bot.get("leadCapture").asBoolean());
        assertEquals("FR", bot.get("defaultRegion").asText());
        assertEquals("https://a.example", bot.get("allowedOrigins").get(0).asText());
        assertEquals(bot, responseJson(send("GET", "/api/v1/get-chatbots", null, secret)).get("chatbots").get("data").get(0),
                "the list shows each chatbot as update-chatbot-settings answers it");

        HttpResponse<String> cleared = send("POST", "/api/v1/update-chatbot-settings",
                "{\"chatbotId\":\"" + id + "\",\"defaultRegion\":null}", secret);
        assertTrue(responseJson(cleared).get("defaultRegion").isNull());
        assertFalse(responseJson(cleared).get("leadCapture").asBoolean());

        long leadId = app.leads().create(new NewLead(id, owner.id(), null, "a@example.com", null, null, Instant.now())).id();
        HttpResponse<String> deleted = send("DELETE", "/api/v1/delete-chatbot?chatbotId=" + id, null, secret);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertTrue(app.leads().find(leadId).isEmpty());
        assertEquals(0, responseJson(send("GET", "/api/v1/get-chatbots", null, secret)).get("chatbots").get("data").size());
        assertEquals(404, send("GET", "/api/v1/get-leads?chatbotId=" + id, null, secret).statusCode());
    }

    @Test
    void anotherOwnersChatbotLooksMissing() {
        Owner other = app.owners().create("x-" + UUID.randomUUID() + "@example.com");
        Chatbot theirs = app.chatbots().create(other.id(), "theirs");
        assertEquals(404, send("POST", "/api/v1/update-chatbot-settings",
                "{\"chatbotId\":\"" + theirs.id() + "\",\"leadCapture\":false}", secret).statusCode());
        assertEquals(404, send("DELETE", "/api/v1/delete-chatbot?chatbotId=" + theirs.id(), null, secret).statusCode());
        assertTrue(app.chatbots().find(theirs.id()).isPresent());
        assertTrue(app.chatbotSettings().find(theirs.id()).orElseThrow().captureEnabled());
        assertEquals(0, responseJson(send("GET", "/api/v1/get-chatbots", null, secret)).get("chatbots").get("data").size());
    }

    @Test
    void badRequestsNameTheProblem() {
        Chatbot mine = app.chatbots().create(owner.id(), "mine");
        assertMessage(send("POST", "/api/v1/create-chatbot", "{}", secret), 400, "chatbotName");
        assertMessage(send("POST", "/api/v1/create-chatbot", "{\"chatbotName\":\"x\"}", null), 401, "Authorization");
        assertMessage(send("POST", "/api/v1/update-chatbot-settings", "{\"leadCapture\":false}", secret), 400, "chatbotId");
        assertMessage(send("POST", "/api/v1/update-chatbot-settings",
                "{\"chatbotId\":\"" + mine.id() + "\",\"leadCapture\":\"no\"}", secret), 400, "leadCapture");
        assertMessage(send("POST", "/api/v1/update-chatbot-settings",
                "{\"chatbotId\":\"" + mine.id() + "\",\"defaultRegion\":\"ZZZ\"}", secret), 400, "defaultRegion");
        assertMessage(send("POST", "/api/v1/update-chatbot-settings",
                "{\"chatbotId\":\"" + mine.id() + "\",\"allowedOrigins\":\"https://a.example\"}", secret), 400, "allowedOrigins");
        assertMessage(send("POST", "/api/v1/update-chatbot-settings",
                "{\"chatbotId\":\"" + mine.id() + "\",\"allowedOrigins\":[\"a.example/x\"]}", secret), 400, "origin");
        assertMessage(send("DELETE", "/api/v1/delete-chatbot", null, secret), 400, "chatbotId");
        // create-chatbot's field is chatbotName: its 400 said "name must be …", a field it does not have.
        assertMessage(send("POST", "/api/v1/create-chatbot", "{\"chatbotName\":\"   \"}", secret), 400, "chatbotName must be 1 to 200");
        assertMessage(send("POST", "/api/v1/update-chatbot-settings",
                "{\"chatbotId\":\"" + mine.id() + "\",\"name\":\"\"}", secret), 400, "name must be 1 to 200");
        // No browser sends port 99999; it was stored and could never match.
        assertMessage(send("POST", "/api/v1/update-chatbot-settings",
                "{\"chatbotId\":\"" + mine.id() + "\",\"allowedOrigins\":[\"https://a.example:99999\"]}", secret), 400, "origin");
        // U+0000 cannot be stored or looked up on PostgreSQL (these were 500s there), and an
        // unpaired surrogate was stored as '?': both are refused, naming the field.
        assertMessage(send("POST", "/api/v1/create-chatbot", "{\"chatbotName\":\"a\\u0000b\"}", secret), 400, "chatbotName must not contain the NUL");
        assertMessage(send("POST", "/api/v1/update-chatbot-settings", "{\"chatbotId\":\"\\u0000\"}", secret), 400, "chatbotId must not contain the NUL");
        assertMessage(send("POST", "/api/v1/update-chatbot-settings",
                "{\"chatbotId\":\"" + mine.id() + "\",\"name\":\"\\ud800\"}", secret), 400, "name must be valid Unicode");
        assertMessage(send("DELETE", "/api/v1/delete-chatbot?chatbotId=%00", null, secret), 400, "chatbotId must not contain the NUL");
        // chatbot list prints one chatbot a line, tab-separated.
        assertMessage(send("POST", "/api/v1/create-chatbot", "{\"chatbotName\":\"a\\tb\"}", secret), 400,
                "chatbotName must not contain control characters");
        assertMessage(send("POST", "/api/v1/update-chatbot-settings",
                "{\"chatbotId\":\"" + mine.id() + "\",\"name\":\"two\\nlines\"}", secret), 400, "name must not contain control characters");
        assertEquals("mine", app.chatbots().find(mine.id()).orElseThrow().name());
        assertTrue(app.chatbotSettings().find(mine.id()).orElseThrow().captureEnabled());
    }
}
