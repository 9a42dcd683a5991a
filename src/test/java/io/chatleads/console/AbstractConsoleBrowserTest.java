package io.chatleads.console;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;
import io.chatleads.support.Browser;
import io.chatleads.support.PageServer;
import io.chatleads.support.ServerTestBase;
import io.chatleads.webhook.EndpointPolicy;
import io.chatleads.webhook.Receiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
