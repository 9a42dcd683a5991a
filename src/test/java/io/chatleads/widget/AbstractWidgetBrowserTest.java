package io.chatleads.widget;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotSettings;
import io.chatleads.error.Unavailable;
import io.chatleads.lead.Lead;
import io.chatleads.support.Browser;
import io.chatleads.support.CapturedLogs;
import io.chatleads.support.FaultyServer;
import io.chatleads.support.Gate;
import io.chatleads.support.PageServer;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestServer;
import io.chatleads.webhook.EndpointPolicy;
import io.chatleads.webhook.Receiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The widget in a real headless Chromium, on a page of another origin (a website on a port of its
 * own) talking to a real chatleads server: what a visitor sees and does, and what gets stored.
 * Once per database.
 */
abstract class AbstractWidgetBrowserTest extends ServerTestBase {

    private static final String CAPTURE_ROUTE = "/api/v1/chatbots/{chatbotId}/leads";
    private static final AtomicInteger PAGES = new AtomicInteger();

    protected PageServer site;
    protected Browser browser;
    protected Tenant tenant;

    @Override
    protected Map<String, String> serverEnv() {
        // the webhook receiver is on loopback
        return Map.of(EndpointPolicy.ALLOW_PRIVATE_SETTING, "true");
    }

    @BeforeAll
    void startBrowser() {
        Browser.assumeInstalled();
        site = PageServer.start();
        browser = Browser.start();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (site != null) {
            site.close();
        }
    }

    @BeforeEach
    void freshTenant() {
        tenant = newTenant();
        browser.resize(Browser.DESKTOP);
        browser.emulateMedia(null, null);
    }

    // ---- the page, the widget in it, and what the server stored ----

    /** The script tag for the tenant's chatbot, loaded from {@code base} (the server, or a gate in front of it). */
    String embed(String base, String attributes) {
        return embed(base, tenant.chatbot(), attributes);
    }

    /** The script tag for {@code chatbot}, of the server at {@code base}. */
    static String embed(String base, Chatbot chatbot, String attributes) {
        return "<script src=\"" + base + "/widget/v1.js\" data-chatbot-id=\"" + chatbot.id() + "\" "
                + attributes + " async></script>";
    }

    String embed(String attributes) {
        return embed(chatleads(), attributes);
    }

    String chatleads() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Serves a page with {@code body} on the website and opens it; returns its URL. */
    String openPage(String body, Map<String, String> headers) {
        String path = "/page-" + PAGES.incrementAndGet();
        PageServer.Page page = PageServer.Page.html("""
                <!doctype html><html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1"><title>Acme Shop</title></head>
                <body>%s</body></html>
                """.formatted(body));
        for (Map.Entry<String, String> header : headers.entrySet()) {
            page = page.withHeader(header.getKey(), header.getValue());
        }
        site.put(path, page);
        browser.open(site.url(path));
        return site.url(path);
    }

    String openPage(String body) {
        return openPage(body, Map.of());
    }

    void settings(UnaryOperator<WidgetSettings> change) {
        app.widgetSettings().update(tenant.chatbot().id(), change).orElseThrow();
    }

    /** The shadow root of the widget's host element {@code [data-chatleads=mode]}, once it is drawn. */
    SearchContext widget(String mode) {
        WebElement host = browser.await("the " + mode + " widget to be drawn",
                driver -> Browser.find(driver, "[data-chatleads=" + mode + "]"));
        return host.getShadowRoot();
    }

    WebElement await(SearchContext root, String css) {
        return browser.await(css + " in the widget", driver -> {
            WebElement found = Browser.find(root, css);
            return found != null && found.isDisplayed() ? found : null;
        });
    }

    void awaitText(WebElement element, String text) {
        browser.await("'" + text + "' (showing '" + element.getText() + "')", driver -> element.getText().contains(text));
    }

    List<Lead> storedLeads() {
        return storedLeads(server, tenant.chatbot());
    }

    static List<Lead> storedLeads(TestServer on, Chatbot chatbot) {
        return on.app().leads().rangeAfter(chatbot.id(), chatbot.ownerId(), Long.MIN_VALUE, Long.MAX_VALUE, null, 1000);
    }

    /** The leads as get-leads answers them to the owner. */
    JsonNode getLeads() {
        HttpResponse<String> response = server.get("/api/v1/get-leads?chatbotId=" + tenant.chatbot().id(), tenant.secret());
        assertEquals(200, response.statusCode(), response.body());
        return responseJson(response).path("data");
    }

    /** How many lead submissions this server has answered with {@code status}, from /metrics. */
    static double captures(TestServer on, int status) {
        Matcher count = Pattern.compile("http_server_requests_seconds_count\\{[^}]*method=\"POST\",route=\""
                        + Pattern.quote(CAPTURE_ROUTE) + "\",status=\"" + status + "\"} ([0-9.eE+]+)")
                .matcher(on.get("/metrics", null).body());
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    double honeypotCatches() {
        Matcher count = Pattern.compile("chatleads_lead_honeypot_catches_total(\\{[^}]*})? ([0-9.eE+]+)")
                .matcher(server.get("/metrics", null).body());
        return count.find() ? Double.parseDouble(count.group(2)) : 0;
    }

    /** Listens for the widget's DOM events; read them back with {@link #events()}. */
    void recordEvents() {
        browser.script("""
                window.__events = [];
                for (const name of ['chatleads:submitted', 'chatleads:error']) {
                    document.addEventListener(name, (event) => window.__events.push({type: event.type, detail: event.detail}));
                }
                """);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> events() {
        return (List<Map<String, Object>>) browser.script("return window.__events");
    }

    void fill(SearchContext root, String field, String value) {
        WebElement input = await(root, "input[name=" + field + "]");
        input.clear();
        input.sendKeys(value);
    }

    // ---- the tests ----

    @Test
    void aVisitorFillsTheFormAndTheOwnerGetsTheLeadAndItsWebhook() throws Exception {
        settings(s -> s.withField("phone", FieldMode.OPTIONAL));
        try (Receiver receiver = Receiver.ok()) {
            HttpResponse<String> hook = server.send(server.request("/api/v1/webhooks")
                    .header("Authorization", "Bearer " + tenant.secret()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"" + receiver.url("/hook")
                            + "\",\"chatbotId\":\"" + tenant.chatbot().id() + "\"}")).build());
            assertEquals(201, hook.statusCode(), hook.body());

            openPage("<h1>Acme</h1><div id=\"contact\"></div>" + embed("data-target=\"#contact\""));
            recordEvents();
            SearchContext form = widget("inline");
            assertEquals("Get in touch", await(form, "h2").getText());
            fill(form, "name", "Ada Lovelace");
            fill(form, "email", "Ada@Example.COM");
            fill(form, "phone", "+44 20 7946 0958");
            await(form, "button.send").click();
            awaitText(await(form, ".done"), "Thank you! We will be in touch soon.");

            JsonNode leads = getLeads();
            assertEquals(1, leads.size(), leads.toString());
            JsonNode lead = leads.get(0);
            assertEquals("Ada Lovelace", lead.path("name").asText());
            assertEquals("Ada@example.com", lead.path("email").asText());
            assertEquals("+442079460958", lead.path("phone").asText());

            Receiver.Received event = receiver.awaitRequests(1).get(0);
            assertEquals(lead.path("id").asText(), JSON.readTree(event.body()).path("payload").path("leadId").asText());

            List<Map<String, Object>> events = events();
            assertEquals(1, events.size(), events.toString());
            assertEquals("chatleads:submitted", events.get(0).get("type"));
            assertEquals(lead.path("id").asLong(), ((Number) ((Map<?, ?>) events.get(0).get("detail")).get("leadId")).longValue());
        }
    }

    @Test
    void theServersFieldErrorIsShownNextToThatField() {
        settings(s -> s.withField("phone", FieldMode.REQUIRED).withField("email", FieldMode.HIDDEN));
        openPage("<div id=\"contact\"></div>" + embed("data-target=\"#contact\""));
        recordEvents();
        SearchContext form = widget("inline");
        fill(form, "phone", "12");
        await(form, "button.send").click();
        WebElement error = await(form, "#cl-phone-err");
        awaitText(error, "phone is not a valid phone number: '12'");
        assertEquals("true", await(form, "input[name=phone]").getDomAttribute("aria-invalid"));
        assertEquals("cl-phone-err", await(form, "input[name=phone]").getDomAttribute("aria-describedby"));
        assertEquals("polite", error.getDomAttribute("aria-live"));
        assertEquals("phone", browser.focused().getDomProperty("name"), "the field with the error has the focus");
        assertEquals(0, storedLeads().size());
        Map<?, ?> detail = (Map<?, ?>) events().get(0).get("detail");
        assertEquals("invalid", detail.get("code"));
        assertEquals("phone", detail.get("field"));

        fill(form, "phone", "+1 415 555 0123");
        await(form, "button.send").click();
        await(form, ".done");
        assertEquals("+14155550123", storedLeads().get(0).phone());
    }

    @Test
    void theConsentBoxMustBeTickedBeforeAnythingIsSent() {
        settings(s -> s.withConsentUrl("consentUrl", "https://shop.example.com/privacy"));
        openPage("<div id=\"contact\"></div>" + embed("data-target=\"#contact\""));
        SearchContext form = widget("inline");
        WebElement link = await(form, ".consent a");
        assertEquals("https://shop.example.com/privacy", link.getDomAttribute("href"));
        assertEquals("Privacy policy", link.getText());
        fill(form, "email", "consent@example.com");
        double before = captures(server, 201);
        await(form, "button.send").click();
        awaitText(await(form, "#cl-consent-err"), "Please tick the box to continue.");
        assertEquals("cl-consent", browser.focused().getDomAttribute("id"));
        assertEquals(0, storedLeads().size());
        assertEquals(before, captures(server, 201), "nothing was sent");

        await(form, "#cl-consent").click();
        await(form, "button.send").click();
        await(form, ".done");
        assertEquals(List.of("consent@example.com"), storedLeads().stream().map(Lead::email).toList());
    }

    @Test
    void anOriginNotAllowedSeesWhyAndNothingIsStored() {
        app.chatbotSettings().update(tenant.chatbot().id(),
                ChatbotSettings.Change.none().withAllowedOrigins(List.of("https://elsewhere.example")));
        openPage("<div id=\"contact\"></div>" + embed("data-target=\"#contact\""));
        WebElement message = browser.await("the unavailable message",
                driver -> Browser.find(driver, "#contact [data-chatleads=unavailable]"));
        assertEquals("This form is not available on this website.", message.getText());
        assertNull(Browser.find(browser.driver(), "[data-chatleads=inline]"), "no form is drawn");

        Object refusal = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                chatleads('submit', {email: 'sneaky@example.com'}).then(() => done('stored'), (error) => done(error.code));
                """);
        assertEquals("unavailable", refusal);
        assertEquals(0, storedLeads().size());
        List<String> warnings = browser.consoleErrors();
        assertTrue(warnings.stream().noneMatch(line -> line.contains("Uncaught")), warnings.toString());
    }

    @Test
    void theServerUnreachableAtTheFirstClickAndBackForTheRetryMakesExactlyOneLead() {
        try (Gate gate = Gate.to(server.port())) {
            openPage("<div id=\"contact\"></div>" + embed(gate.origin(), "data-target=\"#contact\""));
            SearchContext form = widget("inline");
            fill(form, "email", "patient@example.com");
            gate.shut();
            await(form, "button.send").click();
            awaitText(await(form, ".st"), "Connection problem. Trying again…");
            assertTrue(gate.refused() > 0, "the first try did not get through");
            assertEquals(0, storedLeads().size());
            gate.open();
            awaitText(await(form, ".done"), "Thank you!");
            assertEquals(List.of("patient@example.com"), storedLeads().stream().map(Lead::email).toList());
        }
    }

    /**
     * The inline form of {@code chatbot} on the server at {@code base}, filled in with
     * second@example.com, once the page has sent first@example.com itself and it is stored.
     */
    SearchContext formAfterAFirstLead(String base, Chatbot chatbot) {
        openPage("<div id=\"contact\"></div>" + embed(base, chatbot, "data-target=\"#contact\""));
        SearchContext form = widget("inline");
        fill(form, "email", "second@example.com");
        Object first = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                chatleads('submit', {email: 'first@example.com'}).then(done, (error) => done(error.message));
                """);
        assertTrue(first instanceof Number, "the first is stored: " + first);
        return form;
    }

    @Test
    void aRateLimitIsWaitedOutAndThenTheLeadIsStored() {
        try (TestServer limited = TestServer.start(database, Map.of(
                "CHATLEADS_WIDGET_RATE_LIMIT", "1", "CHATLEADS_WIDGET_RATE_WINDOW_SECONDS", "5"))) {
            // The one submission this address may make in the window, made from this very page.
            SearchContext form = formAfterAFirstLead("http://127.0.0.1:" + limited.port(), tenant.chatbot());
            double refusedBefore = captures(limited, 429);
            await(form, "button.send").click();
            awaitText(await(form, ".done"), "Thank you!");
            assertTrue(captures(limited, 429) > refusedBefore, "the widget was told to wait, and waited");
            assertEquals(List.of("first@example.com", "second@example.com"),
                    storedLeads().stream().map(Lead::email).sorted().toList());
        }
    }

    /**
     * The database away when the visitor clicks: the server answers 503 with {@code Retry-After: 2}
     * (error.Unavailable). The widget says it is trying again and waits those 2 s, not its own first
     * backoff (about 1 s), then, the database back, stores the lead once. The server's access log
     * says when each try arrived and when its answer went. Here a lead sent from the page first,
     * while the database is there, leaves the browser's preflight and the server's capture
     * settings cached; {@link #aDatabaseOutageBeforeAnyLeadIsWaitedOutAsWell} has neither.
     */
    @Test
    void aDatabaseOutagesRetryAfterIsWaitedOutAndThenTheLeadIsStoredOnce() {
        try (FaultyServer faulty = FaultyServer.withDatabaseToTakeAway(kind(), Map.of("CHATLEADS_DB_CONNECTION_TIMEOUT_MS", "250"));
             CapturedLogs logs = new CapturedLogs()) {
            TestServer away = faulty.server();
            SearchContext form = formAfterAFirstLead("http://127.0.0.1:" + away.port(), faulty.chatbot());
            List<Submission> tries = sentDuringAnOutage(faulty, form, logs);
            assertEquals(201, tries.get(0).status(), "the first lead: " + tries);
            assertRetryAfterWaitedOut(tries.subList(1, tries.size()));
            assertEquals(List.of("first@example.com", "second@example.com"),
                    storedLeads(away, faulty.chatbot()).stream().map(Lead::email).sorted().toList());
        }
    }

    /**
     * As {@link #aDatabaseOutagesRetryAfterIsWaitedOutAndThenTheLeadIsStoredOnce}, but the click is
     * the page's first submission and the server caches nothing (CHATLEADS_CACHE_TTL_MS=0): neither
     * the browser's preflight nor the chatbot's allowed origins are at hand, and still the browser
     * shows the widget the 503 and its Retry-After (the preflight and the 503 carry CORS headers
     * while the database is away) rather than a network error.
     */
    @Test
    void aDatabaseOutageBeforeAnyLeadIsWaitedOutAsWell() {
        try (FaultyServer faulty = FaultyServer.withDatabaseToTakeAway(kind(), Map.of(
                "CHATLEADS_DB_CONNECTION_TIMEOUT_MS", "250", "CHATLEADS_CACHE_TTL_MS", "0"));
             CapturedLogs logs = new CapturedLogs()) {
            TestServer away = faulty.server();
            openPage("<div id=\"contact\"></div>" + embed("http://127.0.0.1:" + away.port(), faulty.chatbot(),
                    "data-target=\"#contact\""));
            SearchContext form = widget("inline");
            fill(form, "email", "first@example.com");
            assertRetryAfterWaitedOut(sentDuringAnOutage(faulty, form, logs));
            assertEquals(List.of("first@example.com"), storedLeads(away, faulty.chatbot()).stream().map(Lead::email).toList());
        }
    }

    /** Clicks send on {@code form} with the database away, brings it back once the widget says it retries: the submissions logged. */
    private List<Submission> sentDuringAnOutage(FaultyServer faulty, SearchContext form, CapturedLogs logs) {
        faulty.takeDatabaseAway();
        await(form, "button.send").click();
        awaitText(await(form, ".st"), "Connection problem. Trying again…");
        faulty.bringDatabaseBack();
        awaitText(await(form, ".done"), "Thank you!");
        return submissions(logs);
    }

    /** The click's tries: 503s, each followed by the next at least its Retry-After later, then a 201. */
    private static void assertRetryAfterWaitedOut(List<Submission> tries) {
        assertEquals(503, tries.get(0).status(), "the click, the database away: " + tries);
        assertEquals(201, tries.get(tries.size() - 1).status(), "the last try, the database back: " + tries);
        for (int i = 0; i < tries.size() - 1; i++) {
            assertEquals(503, tries.get(i).status(), "every try between: " + tries);
            double waited = tries.get(i + 1).arrivedMs() - tries.get(i).answeredMs();
            // Retry-After: 2 is 2000 ms; the widget's own first backoff is 800 to 1200 ms.
            assertTrue(waited >= Unavailable.RETRY_AFTER_SECONDS * 1000 - 500, "the try after a 503 came " + waited + " ms after its answer: " + tries);
        }
    }

    /**
     * A lead submission as the access log has it: its status, when it arrived and when its answer
     * went, in ms since the first of {@link #submissions}.
     */
    record Submission(int status, double arrivedMs, double answeredMs) {
    }

    /** The lead submissions in the access log (of every server in this JVM) while {@code logs} was open, in order. */
    static List<Submission> submissions(CapturedLogs logs) {
        List<Submission> found = new ArrayList<>();
        double since = Double.NaN;
        for (ILoggingEvent event : logs.events()) {
            if (!event.getLoggerName().equals("chatleads.access") || event.getKeyValuePairs() == null) {
                continue;
            }
            Map<String, Object> line = new HashMap<>();
            event.getKeyValuePairs().forEach(pair -> line.put(pair.key, pair.value));
            if ("POST".equals(line.get("method")) && CAPTURE_ROUTE.equals(line.get("route"))) {
                double answered = event.getInstant().getEpochSecond() * 1000.0 + event.getInstant().getNano() / 1e6;
                double arrived = answered - ((Number) line.get("durationMs")).doubleValue();
                since = found.isEmpty() ? arrived : since;
                found.add(new Submission(((Number) line.get("status")).intValue(), arrived - since, answered - since));
            }
        }
        return found;
    }

    @Test
    void aDoubleClickSendsOnce() {
        openPage("<div id=\"contact\"></div>" + embed("data-target=\"#contact\""));
        SearchContext form = widget("inline");
        fill(form, "email", "eager@example.com");
        double before = captures(server, 201) + captures(server, 200);
        WebElement send = await(form, "button.send");
        new Actions(browser.driver()).doubleClick(send).perform();
        await(form, ".done");
        assertEquals(1, storedLeads().size());
        assertEquals(before + 1, captures(server, 201) + captures(server, 200), "one request, not one replayed");
    }

    @Test
    void theHoneypotIsOutOfSightAndOutOfTheTabOrder() {
        openPage("<div id=\"contact\"></div>" + embed("data-target=\"#contact\""));
        SearchContext form = widget("inline");
        await(form, "input[name=email]");
        WebElement honeypot = Browser.find(form, "input[name=website]");
        assertNotNull(honeypot);
        assertFalse(honeypot.isDisplayed() && honeypot.getRect().getX() >= 0, "people never see it");
        assertEquals("-1", honeypot.getDomAttribute("tabindex"));
        assertEquals("off", honeypot.getDomAttribute("autocomplete"));
    }

    /** A bot fills every field it finds, the hidden one too: it is told it succeeded, and nothing is kept. */
    @Test
    void aBotThatFillsTheHoneypotSeesSuccessAndNothingIsStored() {
        double caught = honeypotCatches();
        openPage("<div id=\"contact\"></div>" + embed("data-target=\"#contact\""));
        SearchContext form = widget("inline");
        fill(form, "email", "bot@example.com");
        browser.script("arguments[0].value = 'http://cheap-pills.example'", Browser.find(form, "input[name=website]"));
        await(form, "button.send").click();
        awaitText(await(form, ".done"), "Thank you!");
        assertEquals(0, storedLeads().size());
        assertEquals(caught + 1, honeypotCatches());
    }

    /** Without any script: the site's own HTML form posts to chatleads and the visitor lands on the owner's page. */
    @Test
    void aPlainHtmlFormWithoutJavaScriptLandsOnTheThankYouAddress() {
        site.put("/thanks", PageServer.Page.html("<!doctype html><title>Thanks</title><h1 id=\"thanks\">Thanks from Acme</h1>"));
        settings(s -> s.withRedirectUrl("redirectUrl", site.url("/thanks")));
        app.chatbotSettings().update(tenant.chatbot().id(),
                ChatbotSettings.Change.none().withAllowedOrigins(List.of(site.origin())));
        String action = chatleads() + "/api/v1/chatbots/" + tenant.chatbot().id() + "/leads";
        String form = """
                <form method="post" action="%s">
                  <label>Name <input name="name"></label>
                  <label>Email <input name="email" type="email" required></label>
                  <input name="conversationId" type="hidden" value="no-js-1">
                  <button id="send">Send</button>
                </form>""".formatted(action);
        openPage(form);
        browser.driver().findElement(By.name("name")).sendKeys("Plain Form");
        browser.driver().findElement(By.name("email")).sendKeys("plain@example.com");
        browser.driver().findElement(By.id("send")).click();
        browser.await("the thank-you page", driver -> driver.getCurrentUrl().equals(site.url("/thanks")));
        assertEquals("Thanks from Acme", browser.driver().findElement(By.id("thanks")).getText());
        Lead lead = storedLeads().get(0);
        assertEquals("Plain Form", lead.name());
        assertEquals("no-js-1", lead.conversationId());

        // Without a thank-you address of the owner's: chatleads' own page, with a way back.
        settings(s -> s.withRedirectUrl("redirectUrl", null));
        openPage(form);
        browser.driver().findElement(By.name("email")).sendKeys("second@example.com");
        browser.driver().findElement(By.id("send")).click();
        WebElement heading = browser.await("chatleads' thank-you page", driver -> Browser.find(driver, "main h1"));
        assertEquals("Thank you! We will be in touch soon.", heading.getText());
        assertTrue(browser.driver().getCurrentUrl().startsWith(chatleads()), browser.driver().getCurrentUrl());
        assertEquals(2, storedLeads().size());
    }

    @Test
    void pageScriptSubmitsWithItsConversationIdThroughTheQueueAndAfterLoading() {
        // The stub from docs/widget.md, then a call made before the script has loaded.
        String stub = """
                <script>window.chatleads=window.chatleads||function(){var a=arguments;return new Promise(function(y,n){(chatleads.q=chatleads.q||[]).push([a,y,n])})};
                window.early = chatleads('submit', {email: 'early@example.com', conversationId: 'conv-early'});</script>
                """;
        openPage(stub + embed("data-mode=\"hidden\""));
        Object early = browser.asyncScript("const done = arguments[arguments.length - 1]; window.early.then(done, (e) => done(e.message));");
        assertTrue(early instanceof Number, "the queued call resolves with the lead's id: " + early);
        recordEvents();
        Object later = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                chatleads('submit', {name: 'Chat Visitor', phone: '+1 415 555 0199', conversationId: 'conv-42'})
                    .then(done, (e) => done(e.message));
                """);
        assertTrue(later instanceof Number, "resolves with the lead's id: " + later);
        Lead stored = app.leads().find(((Number) later).longValue()).orElseThrow();
        assertEquals("conv-42", stored.conversationId());
        assertEquals("+14155550199", stored.phone());
        assertEquals("conv-early", app.leads().find(((Number) early).longValue()).orElseThrow().conversationId());

        Object invalid = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                chatleads('submit', {email: 'not an address'}).then(() => done('stored'), (e) => done([e.code, e.field, e.message]));
                """);
        assertEquals(List.of("invalid", "email", "email is not a valid address: 'not an address'"), invalid);
        List<Object> types = new ArrayList<>();
        events().forEach(event -> types.add(event.get("type")));
        assertEquals(List.of("chatleads:submitted", "chatleads:error"), types, "events of the calls after loading");
        assertTrue(widget("hidden").findElements(By.cssSelector("dialog[open]")).isEmpty(), "hidden mode shows nothing until opened");
    }

    /**
     * A page whose policy allows scripts and connections to the chatleads host only, and nothing
     * else at all (no inline script, no styles of any kind): the widget draws itself styled
     * (its colour is on the button) and submits, and the console reports no refusal.
     */
    @Test
    void aPageWithAStrictContentSecurityPolicyWorks() {
        settings(s -> s.withAccentColor("accentColor", "#0a7d5a"));
        String csp = "default-src 'none'; script-src " + chatleads() + "; connect-src " + chatleads()
                + "; base-uri 'none'; form-action 'none'";
        browser.consoleErrors(); // drop what earlier pages logged
        openPage("<script>window.__inlineRan = true</script><div id=\"contact\"></div>" + embed("data-target=\"#contact\""),
                Map.of("Content-Security-Policy", csp));
        SearchContext form = widget("inline");
        WebElement send = await(form, "button.send");
        assertEquals("rgba(10, 125, 90, 1)", send.getCssValue("background-color"), "the widget's stylesheet applies");
        fill(form, "email", "strict@example.com");
        send.click();
        await(form, ".done");
        assertEquals(List.of("strict@example.com"), storedLeads().stream().map(Lead::email).toList());
        // The policy was in force: the page's own inline script was refused, and that is all it refused.
        assertEquals(null, browser.script("return window.__inlineRan === undefined ? null : 'ran'"));
        List<String> errors = new ArrayList<>(browser.consoleErrors());
        assertEquals(1, errors.stream().filter(line -> line.contains("inline script")).count(), errors.toString());
        errors.removeIf(line -> line.contains("inline script"));
        assertEquals(List.of(), errors, "nothing of the widget was refused, and nothing failed");
    }

    @Test
    void theInlineFormWorksFromTheKeyboardAlone() {
        settings(s -> s.withConsentUrl("consentUrl", "https://shop.example.com/privacy"));
        openPage("<a href=\"#top\">Skip</a><div id=\"contact\"></div>" + embed("data-target=\"#contact\""));
        SearchContext form = widget("inline");
        await(form, "input[name=email]");
        Actions keys = new Actions(browser.driver());
        keys.sendKeys(Keys.TAB).perform(); // the page's link
        keys.sendKeys(Keys.TAB).perform();
        assertEquals("name", browser.focused().getDomProperty("name"));
        keys.sendKeys("Grace Hopper").sendKeys(Keys.TAB).sendKeys("grace@example.com").sendKeys(Keys.TAB).perform();
        assertEquals("cl-consent", browser.focused().getDomAttribute("id"), "the honeypot is skipped");
        keys.sendKeys(Keys.SPACE).sendKeys(Keys.TAB).perform();
        assertEquals("https://shop.example.com/privacy", browser.focused().getDomAttribute("href"), "the policy's link");
        keys.sendKeys(Keys.TAB).perform();
        assertEquals("submit", browser.focused().getDomAttribute("type"));
        keys.sendKeys(Keys.ENTER).perform();
        await(form, ".done");
        assertEquals(List.of("grace@example.com"), storedLeads().stream().map(Lead::email).toList());
    }

    @Test
    void thePopupOpensClosesAndSubmitsFromTheKeyboardAlone() {
        openPage("<p>Questions? <span id=\"cta\"></span></p>" + embed("data-mode=\"popup\" data-target=\"#cta\""));
        SearchContext popup = widget("popup");
        WebElement launcher = await(popup, "button");
        assertEquals("Contact us", launcher.getText());
        Actions keys = new Actions(browser.driver());
        keys.sendKeys(Keys.TAB).perform();
        assertEquals("Contact us", browser.focused().getText());
        keys.sendKeys(Keys.ENTER).perform();
        WebElement dialog = await(popup, "dialog[open]");
        assertEquals("true", launcher.getDomAttribute("aria-expanded"));
        assertEquals("name", browser.focused().getDomProperty("name"), "the focus moves into the popup");
        keys.sendKeys(Keys.ESCAPE).perform();
        browser.await("the popup to close", driver -> !dialog.isDisplayed());
        assertEquals("Contact us", browser.focused().getText(), "the focus is back on the button");

        keys.sendKeys(Keys.ENTER).perform();
        await(popup, "dialog[open]");
        keys.sendKeys("Alan").sendKeys(Keys.TAB).sendKeys("alan@example.com").sendKeys(Keys.ENTER).perform();
        WebElement done = await(popup, "dialog[open] .done");
        awaitText(done, "Thank you!");
        keys.sendKeys(Keys.ESCAPE).perform();
        browser.await("the popup to close", driver -> Browser.find(popup, "dialog[open]") == null);
        assertEquals(List.of("alan@example.com"), storedLeads().stream().map(Lead::email).toList());
    }

    @Test
    void theBubbleOpensClosesAndSubmitsFromTheKeyboardAlone() {
        openPage("<h1>Acme</h1>" + embed(""));
        SearchContext bubble = widget("bubble");
        WebElement launcher = await(bubble, "button.bub");
        Actions keys = new Actions(browser.driver());
        keys.sendKeys(Keys.TAB).perform();
        assertEquals("bub", browser.focused().getDomAttribute("class"));
        keys.sendKeys(Keys.SPACE).perform();
        await(bubble, "dialog[open]");
        assertEquals("name", browser.focused().getDomProperty("name"));
        keys.sendKeys(Keys.ESCAPE).perform();
        browser.await("the panel to close", driver -> Browser.find(bubble, "dialog[open]") == null);
        assertEquals("bub", browser.focused().getDomAttribute("class"), "the focus is back on the bubble");
        assertEquals("false", launcher.getDomAttribute("aria-expanded"));

        keys.sendKeys(Keys.ENTER).perform();
        await(bubble, "dialog[open]");
        keys.sendKeys(Keys.TAB).sendKeys("bubble@example.com").sendKeys(Keys.ENTER).perform();
        await(bubble, "dialog[open] .done");
        assertEquals(List.of("bubble@example.com"), storedLeads().stream().map(Lead::email).toList());
    }

    @Test
    void pageScriptOpensAndClosesThePopupWithAConversationId() {
        openPage(embed("data-mode=\"hidden\""));
        SearchContext hidden = widget("hidden");
        browser.asyncScript("const done = arguments[arguments.length - 1];"
                + " chatleads('open', {conversationId: 'conv-7', email: 'prefilled@example.com'}).then(() => done(null));");
        await(hidden, "dialog[open]");
        assertEquals("prefilled@example.com", await(hidden, "input[name=email]").getDomProperty("value"));
        browser.asyncScript("const done = arguments[arguments.length - 1]; chatleads('close').then(() => done(null));");
        browser.await("the popup to close", driver -> Browser.find(hidden, "dialog[open]") == null);
        browser.asyncScript("const done = arguments[arguments.length - 1]; chatleads('open').then(() => done(null));");
        await(hidden, "button.send").click();
        await(hidden, "dialog[open] .done");
        assertEquals("conv-7", storedLeads().get(0).conversationId());
    }

    @Test
    void nothingIsKeptInTheBrowser() {
        String page = openPage("<div id=\"contact\"></div>" + embed("data-target=\"#contact\""));
        SearchContext form = widget("inline");
        fill(form, "email", "private@example.com");
        await(form, "button.send").click();
        await(form, ".done");
        assertEquals(0L, browser.script("return localStorage.length + sessionStorage.length"));
        assertEquals("", browser.script("return document.cookie"));
        assertTrue(browser.driver().manage().getCookies().isEmpty(), "no cookie for " + page);
        browser.open(chatleads() + "/widget/v1.js");
        assertTrue(browser.driver().manage().getCookies().isEmpty(), "no cookie for chatleads either");
        assertEquals(0L, browser.script("return localStorage.length + sessionStorage.length"));
    }

    /** A visitor's language: the built-in texts of German, with the owner's own submit text. */
    @Test
    void theFormSpeaksTheChatbotsLanguage() {
        settings(s -> s.withLanguage("language", "de").withText("texts.submit", "submit", "Rückruf anfordern"));
        openPage("<div id=\"contact\"></div>" + embed("data-target=\"#contact\""));
        SearchContext form = widget("inline");
        assertEquals("Kontakt aufnehmen", await(form, "h2").getText());
        assertEquals("Rückruf anfordern", await(form, "button.send").getText());
        await(form, "button.send").click();
        awaitText(await(form, "#cl-email-err"), "Bitte füllen Sie dieses Feld aus.");
        assertEquals(0, storedLeads().size());
    }
}
