package io.chatleads.widget;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatleads.chatbot.ChatbotSettings;
import io.chatleads.support.ServerTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The owner's widget settings and the public widget configuration, through a real server; once per database. */
abstract class AbstractWidgetSettingsHttpTest extends ServerTestBase {

    private Tenant tenant;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant();
    }

    private String settingsPath() {
        return "/api/v1/chatbots/" + tenant.chatbot().id() + "/widget-settings";
    }

    private String configPath() {
        return "/api/v1/chatbots/" + tenant.chatbot().id() + "/widget";
    }

    private HttpResponse<String> put(String body) {
        return put(settingsPath(), tenant.secret(), body);
    }

    private HttpResponse<String> put(String path, String secret, String body) {
        HttpRequest.Builder request = server.request(path).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        return server.send(request.build());
    }

    private HttpResponse<String> config(String... headers) {
        HttpRequest.Builder request = server.request(configPath()).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return server.send(request.build());
    }

    @Test
    void aNewChatbotHasTheDefaults() {
        HttpResponse<String> response = server.get(settingsPath(), tenant.secret());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode settings = responseJson(response);
        assertEquals(tenant.chatbot().id(), settings.path("chatbotId").asText());
        assertEquals("{\"name\":\"optional\",\"email\":\"required\",\"phone\":\"hidden\"}", settings.path("fields").toString());
        assertEquals("en", settings.path("language").asText());
        assertEquals("#2563eb", settings.path("accentColor").asText());
        assertEquals("{}", settings.path("texts").toString());
        assertTrue(settings.path("consentUrl").isNull());
        assertTrue(settings.path("redirectUrl").isNull());
        assertEquals("Send", settings.path("builtInTexts").path("submit").asText());
    }

    @Test
    void aChangeKeepsWhatItDoesNotNameAndNullGoesBackToTheDefault() {
        HttpResponse<String> first = put("""
                {"fields": {"phone": "required", "email": "optional"}, "language": "de", "accentColor": "#FF6600",
                 "texts": {"submit": "  Jetzt senden ", "title": "Rückruf"}, "consentUrl": "https://shop.example.com/privacy",
                 "redirectUrl": "https://shop.example.com/thanks"}
                """);
        assertEquals(200, first.statusCode(), first.body());
        JsonNode changed = responseJson(first);
        assertEquals("{\"name\":\"optional\",\"email\":\"optional\",\"phone\":\"required\"}", changed.path("fields").toString());
        assertEquals("#ff6600", changed.path("accentColor").asText());
        assertEquals("Jetzt senden", changed.path("texts").path("submit").asText());
        assertEquals("Senden", changed.path("builtInTexts").path("submit").asText(), "built-in texts follow the language");

        HttpResponse<String> second = put("{\"texts\": {\"title\": null}, \"consentUrl\": null, \"fields\": {\"name\": \"hidden\"}}");
        assertEquals(200, second.statusCode(), second.body());
        JsonNode after = responseJson(second);
        assertEquals("{\"submit\":\"Jetzt senden\"}", after.path("texts").toString());
        assertTrue(after.path("consentUrl").isNull());
        assertEquals("https://shop.example.com/thanks", after.path("redirectUrl").asText());
        assertEquals("{\"name\":\"hidden\",\"email\":\"optional\",\"phone\":\"required\"}", after.path("fields").toString());
        assertEquals("de", after.path("language").asText());

        // what GET answers can be sent back as it is
        HttpResponse<String> read = server.get(settingsPath(), tenant.secret());
        assertEquals(after, responseJson(read));
        assertEquals(200, put(read.body()).statusCode());
        assertEquals(after, responseJson(server.get(settingsPath(), tenant.secret())));
    }

    @Test
    void everyWrongSettingIsA400NamingIt() {
        assertMessage(put("{\"fields\": {\"email\": \"mandatory\"}}"), 400, "fields.email must be hidden, optional or required");
        assertMessage(put("{\"fields\": {\"email\": \"hidden\"}}"), 400, "at least one of email and phone must be shown");
        assertMessage(put("{\"fields\": {\"fax\": \"optional\"}}"), 400, "'fax' is not a field");
        assertMessage(put("{\"fields\": \"all\"}"), 400, "fields must be an object");
        assertMessage(put("{\"language\": \"it\"}"), 400, "language must be one of en, de, fr, es");
        assertMessage(put("{\"accentColor\": \"blue\"}"), 400, "accentColor must be a colour written #rrggbb");
        assertMessage(put("{\"accentColor\": 255}"), 400, "accentColor must be a string");
        assertMessage(put("{\"texts\": {\"sumbit\": \"Go\"}}"), 400, "'sumbit' is not a text of the widget");
        assertMessage(put("{\"texts\": {\"submit\": \"" + "x".repeat(201) + "\"}}"), 400, "texts.submit must be at most 200 characters");
        assertMessage(put("{\"texts\": {\"title\": \"two\\nlines\"}}"), 400, "texts.title must not contain control characters");
        assertMessage(put("{\"texts\": [\"Go\"]}"), 400, "texts must be an object");
        assertMessage(put("{\"consentUrl\": \"javascript:alert(1)\"}"), 400, "consentUrl must be an http or https URL");
        assertMessage(put("{\"redirectUrl\": \"/thanks\"}"), 400, "redirectUrl must be an http or https URL");
        assertMessage(put("{\"colour\": \"#000000\"}"), 400, "'colour' is not a widget setting");
        assertMessage(put("[]"), 400, "request body must be a JSON object");
        assertEquals(415, server.send(server.request(settingsPath()).PUT(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Authorization", "Bearer " + tenant.secret()).header("Content-Type", "text/plain").build()).statusCode());
        // nothing of those was stored
        assertEquals("{}", responseJson(server.get(settingsPath(), tenant.secret())).path("texts").toString());
    }

    @Test
    void anotherOwnersChatbotIsMissingAndAKeyIsNeeded() {
        Tenant other = newTenant();
        assertMessage(server.get(settingsPath(), other.secret()), 404, "not found");
        assertMessage(put(settingsPath(), other.secret(), "{\"language\": \"fr\"}"), 404, "not found");
        assertMessage(server.get(settingsPath(), null), 401, "Authorization");
        assertMessage(put(settingsPath(), null, "{}"), 401, "Authorization");
        assertMessage(server.get("/api/v1/chatbots/nope/widget-settings", tenant.secret()), 404, "chatbot 'nope' not found");
        assertEquals("en", responseJson(server.get(settingsPath(), tenant.secret())).path("language").asText());
    }

    @Test
    void theConfigurationHoldsWhatTheWidgetDrawsAndNothingOfTheOwner() {
        assertEquals(200, put("""
                {"fields": {"phone": "optional"}, "language": "fr", "texts": {"emailLabel": "Courriel"},
                 "consentUrl": "https://shop.example.com/privacy", "redirectUrl": "https://shop.example.com/merci"}
                """).statusCode());
        HttpResponse<String> response = config();
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertFalse(response.body().contains(tenant.owner().id()), "never the owner: " + response.body());
        assertFalse(response.body().contains("merci"), "the redirect is the server's business: " + response.body());
        JsonNode widget = responseJson(response);
        assertEquals(tenant.chatbot().id(), widget.path("chatbotId").asText());
        assertEquals("fr", widget.path("language").asText());
        List<String> fields = widget.path("fields").findValuesAsText("name");
        assertEquals(List.of("name", "email", "phone"), fields);
        assertEquals("Courriel", widget.path("fields").path(1).path("label").asText());
        assertTrue(widget.path("fields").path(1).path("required").asBoolean());
        assertFalse(widget.path("fields").path(2).path("required").asBoolean());
        assertEquals("Envoyer", widget.path("texts").path("submit").asText());
        assertEquals("https://shop.example.com/privacy", widget.path("consent").path("url").asText());
        assertEquals("Politique de confidentialité", widget.path("consent").path("linkText").asText());

        assertEquals(200, put("{\"fields\": {\"name\": \"hidden\"}}").statusCode());
        assertEquals(List.of("email", "phone"), responseJson(config()).path("fields").findValuesAsText("name"),
                "a hidden field is not in the configuration");
    }

    @Test
    void theConfigurationIsCachedByItsETag() {
        HttpResponse<String> first = config();
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
        assertEquals(WidgetRoutes.CONFIG_CACHE_CONTROL, first.headers().firstValue("Cache-Control").orElse(null));

        HttpResponse<String> unchanged = config("If-None-Match", etag);
        assertEquals(304, unchanged.statusCode());
        assertEquals("", unchanged.body());
        assertEquals(etag, unchanged.headers().firstValue("ETag").orElse(null));
        assertEquals(304, config("If-None-Match", "\"other\", W/" + etag).statusCode());

        assertEquals(200, put("{\"accentColor\": \"#111111\"}").statusCode());
        HttpResponse<String> changed = config("If-None-Match", etag);
        assertEquals(200, changed.statusCode(), "a change makes a new tag");
        assertNotEquals(etag, changed.headers().firstValue("ETag").orElseThrow());
        assertEquals("#111111", responseJson(changed).path("accentColor").asText());
    }

    /**
     * Every page view of a site may ask for the configuration: once read, it comes from memory
     * (capture settings and widget settings both), and a change made here still shows at once.
     */
    @Test
    void theConfigurationIsServedFromMemoryOnceRead() {
        assertEquals(200, config().statusCode(), "the first reads the caches full");
        double before = jdbcUses();
        for (int i = 0; i < 40; i++) {
            assertEquals(200, config().statusCode());
        }
        double used = jdbcUses() - before;
        assertTrue(used < 20, "40 configurations took " + used + " JDBC connections");
        assertEquals(200, put("{\"language\": \"es\"}").statusCode());
        assertEquals("es", responseJson(config()).path("language").asText(), "a change through this server applies at once");
    }

    @Test
    void theConfigurationFollowsTheChatbotsOriginsAndCaptureSwitch() {
        String shop = "https://shop.example.com";
        app.chatbotSettings().update(tenant.chatbot().id(), ChatbotSettings.Change.none().withAllowedOrigins(List.of(shop)));
        HttpResponse<String> allowed = config("Origin", shop);
        assertEquals(200, allowed.statusCode(), allowed.body());
        assertEquals(shop, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("Origin, Accept-Encoding", allowed.headers().firstValue("Vary").orElse(null),
                "by the Origin it allows, and (as every answer) by the encoding it may be compressed with");

        HttpResponse<String> refused = config("Origin", "https://evil.example");
        assertMessage(refused, 403, "origin 'https://evil.example' may not show the lead widget");
        assertEquals("https://evil.example", refused.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                "the widget can read why, and say so");
        assertEquals(200, config().statusCode(), "no Origin (a same-origin preview): nothing to check");

        app.chatbotSettings().update(tenant.chatbot().id(), ChatbotSettings.Change.none().withCaptureEnabled(false));
        assertMessage(config("Origin", shop), 404, "not found");
        assertMessage(server.get("/api/v1/chatbots/nope/widget", null), 404, "chatbot 'nope' not found");
    }

    @Test
    void deletingTheChatbotDeletesItsSettings() {
        assertEquals(200, put("{\"language\": \"es\"}").statusCode());
        assertEquals(1, rows());
        app.chatbots().delete(tenant.chatbot().id());
        assertEquals(0, rows());
    }

    private int rows() {
        return app.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM widget_settings WHERE chatbot_id = :id")
                .bind("id", tenant.chatbot().id()).mapTo(Integer.class).one());
    }
}
