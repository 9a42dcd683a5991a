package io.chatleads.console;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;
import io.chatleads.support.Browser;
import io.chatleads.support.PageServer;
import io.chatleads.support.ServerTestBase;
import io.chatleads.webhook.EndpointPolicy;
import io.chatleads.webhook.CreatedWebhook;
import io.chatleads.webhook.Receiver;
import io.chatleads.widget.FieldMode;
import io.chatleads.widget.WidgetSettings;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console end to end in a real headless Chromium, as an owner uses it: typing, tabbing and
 * pressing Enter, the chart drawn by uPlot from the jar, downloads, and a page of another site
 * that tries to post a form into the console. Every page is checked for script and
 * Content-Security-Policy errors in the browser's console.
 */
abstract class AbstractConsoleBrowserTest extends ServerTestBase {

    static final String PASSWORD = "correct horse battery";

    private Browser browser;

    @Override
    protected Map<String, String> serverEnv() {
        return Map.of(EndpointPolicy.ALLOW_PRIVATE_SETTING, "true", "CHATLEADS_WEBHOOK_POLL_MS", "50");
    }

    @BeforeAll
    void startBrowser() {
        Browser.assumeInstalled();
        browser = Browser.start();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void freshBrowserState() {
        browser.open(url("/console/sign-in"));
        browser.driver().manage().deleteAllCookies();
        browser.consoleErrors();
    }

    @AfterEach
    void noScriptOrPolicyErrors() {
        if (browser != null) {
            // Answers such as 401 or 404 are logged as failed loads; what must never appear is a script
            // error or a Content-Security-Policy refusal.
            assertEquals(List.of(), browser.consoleErrors().stream()
                    .filter(line -> !line.contains("Failed to load resource: the server responded with a status of")).toList(),
                    "the browser's console");
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private Owner owner() {
        return app().accounts().createOwner("e2e-" + UUID.randomUUID() + "@example.com", PASSWORD);
    }

    private WebElement byId(String id) {
        return browser.driver().findElement(By.id(id));
    }

    private String text(String css) {
        return browser.driver().findElement(By.cssSelector(css)).getText();
    }

    /**
     * Waits until the element matching {@code css} shows {@code expected}: a click that submits a form returns
     * before the next page has loaded, so reading at once may find the old page (or none).
     */
    private void assertShows(String css, String expected) {
        browser.await(css + " shows '" + expected + "'", d -> d.findElements(By.cssSelector(css)).stream()
                .anyMatch(element -> element.getText().contains(expected)));
    }

    private String path() {
        return java.net.URI.create(browser.driver().getCurrentUrl()).getPath();
    }

    /** With the keyboard: type the email, Tab to the password, Enter sends the form. */
    private void signIn(String email, String password) {
        browser.open(url("/console/sign-in"));
        byId("email").clear();
        byId("email").sendKeys(email, Keys.TAB);
        assertEquals("password", browser.focused().getAttribute("id"), "Tab moves from email to password");
        WebElement passwordField = browser.focused();
        browser.navigateBy(() -> passwordField.sendKeys(password, Keys.ENTER));
    }

    /** The emails of the table's rows; empty while the next page is still loading. */
    private List<String> leadEmails() {
        try {
            return browser.driver().findElements(By.cssSelector("#leads tbody tr td[data-label=Email]")).stream()
                    .map(WebElement::getText).toList();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return List.of();
        }
    }

    @Test
    void signInWithTheKeyboardThenSignOut() {
        Owner owner = owner();
        browser.open(url("/console/keys"));
        assertEquals("/console/sign-in", path(), "a page without a session sends to sign-in");
        byId("email").sendKeys(owner.email(), Keys.TAB);
        WebElement passwordField = browser.focused();
        browser.navigateBy(() -> passwordField.sendKeys(PASSWORD, Keys.ENTER));
        browser.await("the keys page after sign-in", d -> path().equals("/console/keys"));
        assertTrue(text(".who").contains(owner.email()));
        browser.driver().findElement(By.cssSelector(".sign-out button")).sendKeys(Keys.ENTER);
        browser.await("signed out", d -> path().equals("/console/sign-in"));
        browser.open(url("/console/chatbots"));
        assertEquals("/console/sign-in", path());
    }

    @Test
    void aWrongPasswordIsSaidOnTheFormAndARunOfThemLocksTheAccount() {
        Owner owner = owner();
        signIn(owner.email(), "not my password");
        assertShows("#sign-in-error", "The email or password is not right.");
        assertEquals("The email or password is not right.", text("#sign-in-error"));
        assertEquals(owner.email(), byId("email").getAttribute("value"), "the email typed stays");
        assertEquals("", byId("password").getAttribute("value"));
        for (int i = 0; i < 4; i++) {
            signIn(owner.email(), "still wrong " + i);
            // The next sign-in opens the page afresh, which would cancel this one's post if it were still in flight.
            browser.await("the refusal of attempt " + (i + 2), d -> !d.findElements(By.id("sign-in-error")).isEmpty());
        }
        signIn(owner.email(), PASSWORD);
        assertShows("#sign-in-error", "locked until");
        assertEquals("/console/sign-in", path(), "locked, even with the right password");
    }

    @Test
    void aFormPostedFromAnotherSiteIsRefused() {
        Owner owner = owner();
        signIn(owner.email(), PASSWORD);
        browser.await("signed in", d -> path().equals("/console/chatbots"));
        try (PageServer evil = PageServer.start()) {
            evil.put("/prize", PageServer.Page.html("""
                    <!doctype html><html><body>
                    <form id="forged" method="post" action="%s">
                      <input name="name" value="Forged chatbot"><input name="csrf" value="guessed">
                      <button id="claim" type="submit">Claim your prize</button>
                    </form></body></html>""".formatted(url("/console/chatbots"))));
            browser.open(evil.url("/prize"));
            byId("claim").click();
            browser.await("the console's refusal", d -> d.getPageSource().contains("Refused"));
            assertTrue(text("main").contains("another site") || text("main").contains("did not come from this console"),
                    text("main"));
        }
        assertTrue(app().chatbotSettings().listByOwner(owner.id()).isEmpty(), "nothing was created");
    }

    @Test
    void theLeadsTableSearchesFiltersByDatePagesAndErases() {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Shop bot");
        Instant start = Instant.parse("2024-03-01T00:00:00Z");
        for (int i = 0; i < 60; i++) {
            app().leads().create(new NewLead(chatbot.id(), owner.id(), i == 5 ? "Grace Hopper" : "Lead " + i,
                    "lead" + i + "@example.com", null, null, start.plusSeconds(3600L * i)));
        }
        signIn(owner.email(), PASSWORD);
        browser.await("chatbots", d -> path().equals("/console/chatbots"));
        browser.navigateBy(() -> browser.driver().findElement(By.linkText("Shop bot")).click());
        browser.navigateBy(() -> browser.driver().findElement(By.linkText("Leads")).click());
        browser.await("the first page", d -> leadEmails().size() == 50);
        assertEquals("lead59@example.com", leadEmails().get(0), "newest first");
        browser.driver().findElement(By.id("older")).click();
        browser.await("the last page", d -> leadEmails().size() == 10);
        assertEquals("lead9@example.com", leadEmails().get(0));

        byId("search").clear();
        byId("search").sendKeys("grace", Keys.ENTER);
        browser.await("the search", d -> leadEmails().equals(List.of("lead5@example.com")));

        byId("search").clear();
        browser.script("document.getElementById('startDate').value = '2024-03-02'; document.getElementById('endDate').value = '2024-03-02';");
        byId("endDate").sendKeys(Keys.ENTER);
        browser.await("the day's leads", d -> leadEmails().size() == 24);
        assertEquals("lead47@example.com", leadEmails().get(0));
        assertEquals("lead24@example.com", leadEmails().get(23));

        String csv = (String) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                const link = [...document.querySelectorAll('a[download]')][0];
                fetch(link.href).then(r => r.text()).then(done, e => done('failed: ' + e));""");
        List<String> rows = csv.lines().toList();
        assertEquals(25, rows.size(), csv);
        assertTrue(rows.get(1).contains("lead47@example.com") && rows.get(24).contains("lead24@example.com"), csv);

        browser.navigateBy(() -> browser.driver().findElement(By.cssSelector("a[aria-label='Erase lead lead30@example.com']")).click());
        assertShows("main", "Erase this lead?");
        browser.navigateBy(() -> browser.driver().findElement(By.cssSelector("button.danger")).click());
        assertShows(".notice", "Lead erased.");
        assertEquals(59, app().leads().rangeAfter(chatbot.id(), owner.id(), Long.MIN_VALUE, Long.MAX_VALUE, null, 100).size());
    }

    @Test
    void theChartIsGivenEachDaysCountInTheOwnersZone() {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Charted");
        // Berlin is UTC+2 in June: 21:59Z is June 10 there, 22:30Z and 23:59Z already June 11.
        for (String at : List.of("2024-06-10T21:59:00Z", "2024-06-10T22:30:00Z", "2024-06-10T23:59:00Z", "2024-06-13T12:00:00Z")) {
            app().leads().create(new NewLead(chatbot.id(), owner.id(), null, UUID.randomUUID() + "@example.com", null, null,
                    Instant.parse(at)));
        }
        signIn(owner.email(), PASSWORD);
        browser.await("chatbots", d -> path().equals("/console/chatbots"));
        browser.open(url("/console/account"));
        new org.openqa.selenium.support.ui.Select(byId("timeZone")).selectByValue("Europe/Berlin");
        browser.navigateBy(() -> browser.driver().findElement(By.cssSelector("form[action='/console/account/time-zone'] button")).click());
        assertShows(".notice", "Time zone saved.");

        browser.open(url("/console/chatbots/" + chatbot.id() + "/chart?startDate=2024-06-09&endDate=2024-06-13"));
        browser.await("uPlot drew the chart", d -> "true".equals(byId("lead-chart").getAttribute("data-drawn")));
        @SuppressWarnings("unchecked")
        Map<String, List<Object>> given = (Map<String, List<Object>>) browser.script("return window.chatleadsChart;");
        assertEquals(List.of("2024-06-09", "2024-06-10", "2024-06-11", "2024-06-12", "2024-06-13"), given.get("dates"));
        assertEquals(List.of(0L, 1L, 2L, 0L, 1L), given.get("counts"));
        assertEquals("4", text("#range-total"));
        assertFalse(browser.driver().findElements(By.cssSelector("#lead-chart canvas")).isEmpty(), "a canvas was drawn");
    }

    @Test
    void aKeyIsCreatedShownOnceAndRevoked() throws Exception {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Keyed");
        signIn(owner.email(), PASSWORD);
        browser.await("chatbots", d -> path().equals("/console/chatbots"));
        browser.navigateBy(() -> browser.driver().findElement(By.linkText("API keys")).click());
        browser.navigateBy(() -> byId("name").sendKeys("crm sync", Keys.ENTER));
        String secret = byId("new-secret").getAttribute("value");
        assertTrue(secret.startsWith("cl_"), secret);
        browser.driver().findElement(By.cssSelector("button[data-copy]")).click();
        browser.await("the copy button answers", d -> d.findElement(By.cssSelector("button[data-copy]")).getText().equals("Copied")
                || !Boolean.TRUE.equals(browser.script("return window.isSecureContext && !!navigator.clipboard;")));
        assertEquals(200, server.get("/api/v1/get-leads?chatbotId=" + chatbot.id(), secret).statusCode());
        browser.navigateBy(() -> browser.driver().findElement(By.cssSelector("button[aria-label='Revoke key crm sync']")).click());
        assertShows(".notice", "Key revoked");
        assertFalse(browser.driver().getPageSource().contains(secret), "never shown again");
        assertEquals(401, server.get("/api/v1/get-leads?chatbotId=" + chatbot.id(), secret).statusCode());
    }

    @Test
    void aWebhookIsAddedAndItsTestDeliveryIsSeen() throws Exception {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Hooked");
        try (Receiver receiver = Receiver.ok()) {
            signIn(owner.email(), PASSWORD);
            browser.await("chatbots", d -> path().equals("/console/chatbots"));
            browser.open(url("/console/webhooks"));
            byId("endpoint").sendKeys(receiver.url("/hook"));
            new org.openqa.selenium.support.ui.Select(byId("chatbotId")).selectByVisibleText("Hooked");
            browser.navigateBy(() -> browser.driver().findElement(By.cssSelector("form[action='/console/webhooks'] button")).click());
            assertTrue(byId("new-secret").getAttribute("value").startsWith("whsec_"));
            browser.navigateBy(() -> browser.driver().findElement(By.partialLinkText("/hook")).click());
            browser.driver().findElement(By.xpath("//button[text()='Send a test event']")).click();
            assertEquals("true", receiver.awaitRequests(1).get(0).header("x-chatleads-test"));
            browser.await("the delivery with its attempt", d -> {
                d.navigate().refresh();
                return d.getPageSource().contains("data-status=\"succeeded\"");
            });
            assertTrue(text("#deliveries").contains("HTTP 200"), text("#deliveries"));
            assertShows("#deliveries", "test");
            assertEquals(chatbot.id(), ServerTestBase.JSON.readTree(receiver.received().get(0).body()).path("chatbotId").asText(),
                    "the sample names the webhook's chatbot");
        }
    }

    @Test
    void anotherOwnersChatbotInTheAddressIsTheNotFoundPage() {
        Owner owner = owner();
        Chatbot theirs = app().chatbots().create(owner().id(), "Not yours");
        signIn(owner.email(), PASSWORD);
        browser.await("chatbots", d -> path().equals("/console/chatbots"));
        browser.open(url("/console/chatbots/" + theirs.id() + "/leads"));
        String theirPage = text("main");
        browser.open(url("/console/chatbots/no-such-chatbot/leads"));
        assertEquals(theirPage, text("main"), "the same page as a missing chatbot");
        assertTrue(theirPage.contains("Not found"), theirPage);
        assertFalse(browser.driver().getPageSource().contains("Not yours"));
    }

    @Test
    void theChatbotPageShowsTheWidgetSnippetAndALivePreview() {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Snippet");
        signIn(owner.email(), PASSWORD);
        browser.await("chatbots", d -> path().equals("/console/chatbots"));
        browser.open(url("/console/chatbots/" + chatbot.id()));
        String snippet = byId("widget-snippet").getDomProperty("value");
        assertEquals("<script src=\"" + url("/widget/v1.js") + "\" data-chatbot-id=\"" + chatbot.id() + "\" async></script>",
                snippet, "chatbot embed's snippet, on the address this browser uses");
        // The preview is the widget itself, drawn inline from this chatbot's public configuration.
        WebElement email = browser.await("the preview's form", d -> {
            Object field = browser.script("var host = document.querySelector('#widget-preview [data-chatleads]');"
                    + "return host && host.shadowRoot && host.shadowRoot.querySelector('input[name=email]');");
            return field instanceof WebElement element ? element : null;
        });
        assertTrue(email.isDisplayed(), "the preview shows the form");
    }

    @Test
    void aChatbotIsCreatedAndDeletedOnlyWhenItsNameIsTyped() {
        Owner owner = owner();
        signIn(owner.email(), PASSWORD);
        browser.await("chatbots", d -> path().equals("/console/chatbots"));
        browser.navigateBy(() -> byId("name").sendKeys("Support", Keys.ENTER));
        browser.await("the new chatbot's page", d -> text("h1").equals("Support"));
        assertShows(".notice", "Chatbot created.");
        assertTrue(browser.driver().findElement(By.id("widget")).isDisplayed(), "the widget's section is there");
        browser.navigateBy(() -> byId("confirmName").sendKeys("support", Keys.ENTER));
        assertShows("#confirmName-error", "Type the chatbot's name exactly");
        assertEquals("support", byId("confirmName").getAttribute("value"), "kept as typed");
        assertEquals("true", byId("confirmName").getAttribute("aria-invalid"));
        byId("confirmName").clear();
        browser.navigateBy(() -> byId("confirmName").sendKeys("Support", Keys.ENTER));
        browser.await("back on the list", d -> path().equals("/console/chatbots"));
        assertShows(".notice", "Chatbot deleted");
        assertTrue(app().chatbotSettings().listByOwner(owner.id()).isEmpty());
    }

    /**
     * What the preview's shadow root gives {@code js} (a function body using {@code root}), or null
     * while the widget has not drawn its form yet.
     */
    private Object inPreview(String js) {
        return browser.script("var host = document.querySelector('#widget-preview [data-chatleads]');"
                + "var root = host && host.shadowRoot;"
                + "if (!root || !root.querySelector('button.send')) { return null; }" + js);
    }

    private void openChatbotPage(Owner owner, Chatbot chatbot) {
        signIn(owner.email(), PASSWORD);
        browser.await("chatbots", d -> path().equals("/console/chatbots"));
        browser.open(url("/console/chatbots/" + chatbot.id()));
        browser.await("the preview's form", d -> inPreview("return true;"));
    }

    @Test
    void theWidgetSettingsFormSavesFieldsTextsColourAndConsentAndThePreviewShowsThem() throws Exception {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Styled");
        openChatbotPage(owner, chatbot);
        assertEquals("Send", byId("text-submit").getAttribute("placeholder"), "an empty text shows the built-in wording");
        assertEquals("Send", inPreview("return root.querySelector('button.send').textContent;"));

        new Select(byId("nameMode")).selectByValue("hidden");
        new Select(byId("phoneMode")).selectByValue("required");
        byId("text-phoneLabel").sendKeys("Mobile number");
        byId("text-submit").sendKeys("Call me back");
        byId("text-success").sendKeys("We will call you today.");
        // A colour input takes no typing in WebDriver: set as the browser's colour picker sets it.
        browser.script("arguments[0].value = '#0a7d5a'; arguments[0].dispatchEvent(new Event('change'));", byId("accentColor"));
        new Select(byId("language")).selectByValue("de");
        assertEquals("Kontakt aufnehmen", byId("text-title").getAttribute("placeholder"), "the placeholders follow the language");
        byId("consentUrl").sendKeys("https://shop.example.com/datenschutz");
        byId("text-consent").sendKeys("Ich bin einverstanden, dass Styled mich zurückruft.");
        browser.navigateBy(() -> browser.driver().findElement(By.cssSelector("#widget-settings button[type=submit]")).click());
        assertShows(".notice", "Widget settings saved");

        WidgetSettings saved = app().widgetSettings().find(chatbot.id());
        assertEquals(List.of(FieldMode.HIDDEN, FieldMode.REQUIRED, FieldMode.REQUIRED), List.of(saved.name(), saved.email(), saved.phone()));
        assertEquals(Map.of("phoneLabel", "Mobile number", "submit", "Call me back", "success", "We will call you today.",
                "consent", "Ich bin einverstanden, dass Styled mich zurückruft."), saved.texts(), "only the texts typed");
        assertEquals("#0a7d5a", saved.accentColor());
        assertEquals("de", saved.language());
        assertEquals("https://shop.example.com/datenschutz", saved.consentUrl());
        assertEquals(null, saved.redirectUrl(), "left empty");

        JsonNode config = JSON.readTree(server.get("/api/v1/chatbots/" + chatbot.id() + "/widget", null).body());
        assertEquals("#0a7d5a", config.path("accentColor").asText());
        assertEquals("Call me back", config.path("texts").path("submit").asText());
        assertEquals("Kontakt aufnehmen", config.path("texts").path("title").asText(), "the built-in German title");
        assertEquals("https://shop.example.com/datenschutz", config.path("consent").path("url").asText());
        assertEquals(List.of("email", "phone"), config.path("fields").findValuesAsText("name"));

        // The page after the save: the form holds the saved values, the preview draws them.
        assertEquals("Call me back", byId("text-submit").getDomProperty("value"));
        assertEquals("de", new Select(byId("language")).getFirstSelectedOption().getAttribute("value"));
        browser.await("the preview with the new settings", d -> "Call me back".equals(
                inPreview("return root.querySelector('button.send').textContent;")));
        assertEquals(Boolean.FALSE, inPreview("return !!root.querySelector('input[name=name]');"), "name hidden");
        assertTrue(((String) inPreview("return root.querySelector('label[for=cl-phone]').textContent;")).startsWith("Mobile number"));
        assertEquals("Kontakt aufnehmen", inPreview("return root.querySelector('h2').textContent;"));
        assertEquals("rgb(10, 125, 90)", inPreview("return getComputedStyle(root.querySelector('button.send')).backgroundColor;"));
        assertTrue(((String) inPreview("return root.querySelector('label[for=cl-consent]').textContent;"))
                .startsWith("Ich bin einverstanden, dass Styled mich zurückruft."));
        assertEquals("https://shop.example.com/datenschutz", inPreview("return root.querySelector('label[for=cl-consent] a').href;"));
    }

    @Test
    void aWrongWidgetSettingIsSaidBesideItsFieldKeepsWhatWasTypedAndSavesNothing() {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Strict");
        openChatbotPage(owner, chatbot);
        new Select(byId("emailMode")).selectByValue("hidden");
        byId("text-submit").sendKeys("Call me");
        byId("consentUrl").sendKeys("ftp://example.com/privacy");
        browser.navigateBy(() -> browser.driver().findElement(By.cssSelector("#widget-settings button[type=submit]")).click());

        assertShows("#widget-refused", "Nothing was saved");
        assertShows("#fields-error", "At least one of email and phone must be shown (optional or required)");
        assertShows("#consentUrl-error", "Privacy policy address must be an http or https URL");
        assertEquals("true", byId("emailMode").getAttribute("aria-invalid"));
        assertEquals("fields-error", byId("phoneMode").getAttribute("aria-describedby"));
        assertEquals("true", byId("consentUrl").getAttribute("aria-invalid"));
        assertEquals("consentUrl-error", byId("consentUrl").getAttribute("aria-describedby"));
        assertEquals(null, byId("text-submit").getAttribute("aria-invalid"), "a right value is not marked");
        assertEquals("hidden", new Select(byId("emailMode")).getFirstSelectedOption().getAttribute("value"), "kept as chosen");
        assertEquals("ftp://example.com/privacy", byId("consentUrl").getDomProperty("value"), "kept as typed");
        assertEquals("Call me", byId("text-submit").getDomProperty("value"), "kept as typed");
        assertEquals(WidgetSettings.defaults(), app().widgetSettings().find(chatbot.id()), "nothing saved");
        browser.await("the preview, still with the saved settings", d -> "Send".equals(
                inPreview("return root.querySelector('button.send').textContent;")));
    }

    @Test
    void rotatingAWebhooksSecretShowsTheNewOneOnceAndAReceiverVerifiesATestDeliveryWithIt() throws Exception {
        Owner owner = owner();
        Chatbot chatbot = app().chatbots().create(owner.id(), "Rotated");
        try (Receiver receiver = Receiver.ok()) {
            CreatedWebhook created = app().webhooks().create(owner.id(), chatbot.id(), receiver.url("/hook"), List.of("leads.submit"));
            signIn(owner.email(), PASSWORD);
            browser.await("chatbots", d -> path().equals("/console/chatbots"));
            browser.open(url("/console/webhooks/" + created.webhook().id()));
            browser.navigateBy(() -> browser.driver().findElement(By.xpath("//button[text()='Rotate secret']")).click());
            String secret = byId("new-secret").getDomProperty("value");
            assertTrue(secret.startsWith("whsec_"), secret);
            assertNotEquals(created.secret(), secret);
            assertShows("#rotated", "shown only this once");
            assertShows("#old-secret-until", "The old secret goes on signing every event, beside the new one, until");
            assertTrue(browser.driver().findElement(By.cssSelector("#old-secret-until time")).getAttribute("title").endsWith("UTC"));
            assertFalse(browser.driver().findElements(By.cssSelector("#rotated button[data-copy=new-secret]")).isEmpty(), "a copy button");

            browser.navigateBy(() -> browser.driver().findElement(By.xpath("//button[text()='Send a test event']")).click());
            assertShows(".notice", "Test event queued");
            assertFalse(browser.driver().getPageSource().contains(secret), "never shown again");
            Receiver.Received event = receiver.awaitRequests(1).get(0);
            assertEquals("true", event.header("x-chatleads-test"));
            assertTrue(event.signedWith(secret), "a receiver with the new secret verifies the delivery");
            assertTrue(event.signedWith(created.secret()), "and, during the grace period, one that still has the old");
        }
    }
}
