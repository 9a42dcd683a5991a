package io.chatleads.widget;

import io.chatleads.chatbot.ChatbotSettings;
import io.chatleads.lead.Lead;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capture route for what is not the widget's script: a plain HTML form posted without
 * JavaScript, a bot that fills the honeypot, a client changing addresses inside its IPv6 /64.
 * Through a real server, once per database.
 */
abstract class AbstractFormPostHttpTest extends ServerTestBase {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String SHOP = "https://shop.example.com";

    private Tenant tenant;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant();
    }

    private String capture() {
        return "/api/v1/chatbots/" + tenant.chatbot().id() + "/leads";
    }

    private HttpResponse<String> post(TestServer to, String body, String... headers) {
        HttpRequest.Builder request = to.request(capture()).POST(HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!typed) {
            request.header("Content-Type", FORM);
        }
        return to.send(request.build());
    }

    private HttpResponse<String> post(String body, String... headers) {
        return post(server, body, headers);
    }

    private List<Lead> stored() {
        return app.leads().rangeAfter(tenant.chatbot().id(), tenant.owner().id(), Long.MIN_VALUE, Long.MAX_VALUE, null, 1000);
    }

    private double honeypotCatches() {
        Matcher count = Pattern.compile("chatleads_lead_honeypot_catches_total(\\{[^}]*})? ([0-9.eE+]+)")
                .matcher(server.get("/metrics", null).body());
        assertTrue(count.find(), "the honeypot counter is in /metrics");
        return Double.parseDouble(count.group(2));
    }

    private static String contentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    @Test
    void aFormPostIsStoredAndThanked() {
        HttpResponse<String> thanks = post("name=Ada+Lovelace&email=Ada%40Example.COM&phone=%2B44+20+7946+0958&conversationId=c-9",
                "Origin", SHOP, "Referer", SHOP + "/contact?a=1&b='2'");
        assertEquals(200, thanks.statusCode(), thanks.body());
        assertTrue(contentType(thanks).startsWith("text/html"), contentType(thanks));
        assertTrue(thanks.body().contains("<h1>Thank you! We will be in touch soon.</h1>"), thanks.body());
        assertTrue(thanks.body().contains("<a href=\"https://shop.example.com/contact?a=1&amp;b=&#39;2&#39;\">Back</a>"),
                "a link back to the page, escaped: " + thanks.body());
        assertTrue(thanks.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none'"));
        Lead lead = stored().get(0);
        assertEquals("Ada Lovelace", lead.name());
        assertEquals("Ada@example.com", lead.email());
        assertEquals("+442079460958", lead.phone());
        assertEquals("c-9", lead.conversationId());
    }

    @Test
    void aFormPostGoesOnToTheOwnersThankYouAddress() {
        app.widgetSettings().update(tenant.chatbot().id(), s -> s.withRedirectUrl("redirectUrl", SHOP + "/danke")).orElseThrow();
        HttpResponse<String> redirected = post("email=redirect%40example.com", "Origin", SHOP);
        assertEquals(303, redirected.statusCode(), redirected.body());
        assertEquals(SHOP + "/danke", redirected.headers().firstValue("Location").orElse(null));
        assertEquals(1, stored().size());
    }

    @Test
    void aRefusedFormPostIsAPageSayingWhyInTheWidgetsLanguage() {
        app.widgetSettings().update(tenant.chatbot().id(), s -> s.withLanguage("language", "de")).orElseThrow();
        HttpResponse<String> invalid = post("email=not+an+address", "Origin", SHOP);
        assertEquals(400, invalid.statusCode());
        assertTrue(contentType(invalid).startsWith("text/html"));
        assertTrue(invalid.body().contains("<html lang=\"de\">"), invalid.body());
        assertTrue(invalid.body().contains("Leider konnten Ihre Angaben nicht gesendet werden"), invalid.body());
        assertTrue(invalid.body().contains("email is not a valid address: &#39;not an address&#39;"), invalid.body());
        assertTrue(post("email=a%40example.com&email=b%40example.com", "Origin", SHOP).body().contains("email is given more than once"));
        assertTrue(post("name=Ada", "Origin", SHOP).body().contains("email or phone is required"));
        assertTrue(post("email=a%40example.com&createdAt=2020-01-01T00:00:00Z", "Origin", SHOP).body()
                .contains("createdAt may only be set by a call with an API key"));

        app.chatbotSettings().update(tenant.chatbot().id(), ChatbotSettings.Change.none().withAllowedOrigins(List.of(SHOP)));
        HttpResponse<String> elsewhere = post("email=a%40example.com", "Origin", "https://evil.example");
        assertEquals(403, elsewhere.statusCode());
        assertTrue(elsewhere.body().contains("Dieses Formular ist auf dieser Website nicht verfügbar."), elsewhere.body());

        app.chatbotSettings().update(tenant.chatbot().id(), ChatbotSettings.Change.none().withCaptureEnabled(false));
        HttpResponse<String> off = post("email=a%40example.com", "Origin", SHOP);
        assertEquals(404, off.statusCode());
        assertTrue(off.body().contains("<html lang=\"en\">"), "as for an unknown chatbot, nothing of its settings: " + off.body());
        assertEquals(0, stored().size());

        HttpResponse<String> keyed = post("email=a%40example.com", "Authorization", "Bearer " + tenant.secret());
        assertMessage(keyed, 415, "application/json for a call with an API key");
    }

    @Test
    void aFilledHoneypotIsAnsweredLikeASuccessAndStoresNothing() {
        double before = honeypotCatches();
        HttpResponse<String> json = post("{\"name\":\"Bot\",\"email\":\"bot@example.com\",\"website\":\"http://spam.example\"}",
                "Content-Type", "application/json", "Origin", SHOP);
        assertEquals(201, json.statusCode(), json.body());
        assertEquals(0, responseJson(json).path("id").asLong());
        assertEquals("bot@example.com", responseJson(json).path("email").asText());
        HttpResponse<String> form = post("email=bot%40example.com&website=spam", "Origin", SHOP);
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("Thank you!"), form.body());
        assertEquals(0, stored().size());
        assertEquals(before + 2, honeypotCatches());

        // A bot learns nothing from a wrong field: the same 400 as anyone gets.
        assertMessage(post("{\"email\":\"nope\",\"website\":\"x\"}", "Content-Type", "application/json"), 400, "email");
        assertEquals(before + 2, honeypotCatches());
        // An empty honeypot is a person's; an owner's key is never a bot's.
        assertEquals(201, post("{\"email\":\"person@example.com\",\"website\":\"\"}", "Content-Type", "application/json").statusCode());
        assertEquals(201, post("{\"email\":\"owner@example.com\",\"website\":\"https://shop.example.com\"}",
                "Content-Type", "application/json", "Authorization", "Bearer " + tenant.secret()).statusCode());
        assertEquals(List.of("owner@example.com", "person@example.com"), stored().stream().map(Lead::email).sorted().toList());
    }

    @Test
    void theWidgetLimitCountsAnIpv6ClientByItsSlash64() {
        try (TestServer limited = TestServer.start(database, Map.of("CHATLEADS_WIDGET_RATE_LIMIT", "1",
                "CHATLEADS_WIDGET_RATE_WINDOW_SECONDS", "3600", "CHATLEADS_TRUST_X_FORWARDED_FOR", "true"))) {
            String body = "{\"email\":\"v6@example.com\"}";
            String[] json = {"Content-Type", "application/json"};
            assertEquals(201, post(limited, body, json[0], json[1], "X-Forwarded-For", "2001:db8:1:2::1").statusCode());
            HttpResponse<String> sameNetwork = post(limited, body, json[0], json[1], "X-Forwarded-For", "2001:db8:1:2:ffff::77");
            assertEquals(429, sameNetwork.statusCode(), "another address of the same /64 is the same client");
            assertEquals(201, post(limited, body, json[0], json[1], "X-Forwarded-For", "2001:db8:1:3::1").statusCode(),
                    "the next /64 is someone else");
            assertEquals(201, post(limited, body, json[0], json[1], "X-Forwarded-For", "192.0.2.1").statusCode());
            assertEquals(429, post(limited, body, json[0], json[1], "X-Forwarded-For", "::ffff:192.0.2.1").statusCode(),
                    "IPv4 written as IPv6 is that IPv4 client");
            assertEquals(201, post(limited, body, json[0], json[1], "X-Forwarded-For", "192.0.2.2").statusCode(),
                    "IPv4 addresses are counted one by one");
            HttpResponse<String> form = post(limited, "email=v6%40example.com", "X-Forwarded-For", "2001:db8:1:2::abc");
            assertEquals(429, form.statusCode(), "a form post counts the same way");
            assertTrue(form.headers().firstValue("Retry-After").isPresent());
            assertTrue(contentType(form).startsWith("text/html"));
        }
        assertFalse(stored().isEmpty());
    }
}
