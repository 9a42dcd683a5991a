package io.chatleads.console;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;
import io.chatleads.support.Browser;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestDatabase;
import io.chatleads.webhook.EndpointPolicy;
import io.chatleads.webhook.Receiver;
import io.chatleads.widget.FieldMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every console page at desktop and phone width in a real Chromium, with a few weeks of leads:
 * nothing is wider than the viewport at either width, and a screenshot of each is saved to
 * {@code target/screenshots}; the ones in docs/console/ are made with
 * {@code -Dchatleads.screenshots.dir=docs/console}.
 */
class ConsoleScreenshotTest extends ServerTestBase {

    private static final String PASSWORD = "correct horse battery";
    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken",
            "Margaret", "Dennis", "Radia", "Tim", "Shafi", "Leslie", "Sophie"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen",
            "Thompson", "Hamilton", "Ritchie", "Perlman", "Berners-Lee", "Goldwasser", "Lamport", "Wilson"};

    private Browser browser;
    private Receiver receiver;
    private Owner owner;
    private Chatbot chatbot;
    private Path dir;

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }

    @Override
    protected Map<String, String> serverEnv() {
        return Map.of(EndpointPolicy.ALLOW_PRIVATE_SETTING, "true", "CHATLEADS_WEBHOOK_POLL_MS", "50");
    }

    @BeforeAll
    void start() throws Exception {
        Browser.assumeInstalled();
        receiver = Receiver.ok();
        owner = app().accounts().createOwner("owner@acme-coffee.example", PASSWORD);
        app().accounts().owners().setTimeZone(owner.id(), "Europe/Berlin");
        chatbot = app().chatbots().create(owner.id(), "Acme Coffee support");
        Chatbot sales = app().chatbots().create(owner.id(), "Wholesale enquiries");
        app().chatbots().create(owner.id(), "Careers page");
        Random random = new Random(7);
        Instant now = Instant.now();
        for (int i = 0; i < 240; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            // More leads lately, a quiet weekend now and then: something for the chart to show.
            long ageMillis = (long) (Math.pow(random.nextDouble(), 1.4) * Duration.ofDays(30).toMillis());
            app().leads().create(new NewLead(i % 4 == 0 ? sales.id() : chatbot.id(), owner.id(), first + " " + last,
                    (first + "." + last + i).toLowerCase() + "@example.com",
                    random.nextBoolean() ? String.format("+1415555%04d", random.nextInt(10_000)) : null, null,
                    now.minusMillis(ageMillis)));
        }
        app().apiKeys().create(owner.id(), "CRM sync");
        app().apiKeys().revoke(app().apiKeys().create(owner.id(), "Old import script").key().id());
        app().webhooks().create(owner.id(), chatbot.id(), receiver.url("/hooks/leads"), List.of("leads.submit"));
        browser = Browser.start();
        dir = Path.of(System.getProperty("chatleads.screenshots.dir", "target/screenshots"));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private void signIn() {
        browser.open(url("/console/sign-in"));
        browser.driver().findElement(By.id("email")).sendKeys(owner.email(), Keys.TAB);
        browser.focused().sendKeys(PASSWORD, Keys.ENTER);
        browser.await("signed in", d -> d.getCurrentUrl().endsWith("/console/chatbots"));
    }

    /** Both widths: the page fits each (nothing to scroll sideways), and is saved as NAME-desktop.png and NAME-phone.png. */
    private void shoot(String name, Runnable openPage) {
        for (Browser.Size size : List.of(Browser.DESKTOP, Browser.PHONE)) {
            browser.resize(size);
            openPage.run();
            long overflow = (Long) browser.script("return document.documentElement.scrollWidth - window.innerWidth;");
            assertTrue(overflow <= 0, name + " is " + overflow + " px wider than " + size.width() + " px");
            browser.screenshot(dir.resolve(name + "-" + (size.mobile() ? "phone" : "desktop") + ".png"));
        }
    }

    @Test
    void everyPageAtDesktopAndPhoneWidth() throws Exception {
        shoot("sign-in", () -> browser.open(url("/console/sign-in")));
        signIn();
        String bot = "/console/chatbots/" + chatbot.id();
        shoot("chatbots", () -> browser.open(url("/console/chatbots")));
        shoot("chatbot", () -> {
            browser.open(url(bot));
            // The widget's preview draws itself after its configuration arrives.
            browser.await("the widget preview", d -> Boolean.TRUE.equals(browser.script(
                    "var host = document.querySelector('#widget-preview [data-chatleads]');"
                            + "return !!(host && host.shadowRoot && host.shadowRoot.querySelector('input[name=email]'));")));
        });
        // An owner's own widget: phone asked for, a consent line, the shop's green.
        app().widgetSettings().update(chatbot.id(), settings -> settings.withField("phone", FieldMode.OPTIONAL)
                .withAccentColor("accentColor", "#0a7d5a").withText("submit", "submit", "Call me back")
                .withConsentUrl("consentUrl", "https://acme-coffee.example/privacy"));
        shoot("widget-settings", () -> {
            browser.open(url(bot));
            browser.await("the preview with the owner's settings", d -> "Call me back".equals(browser.script(
                    "var host = document.querySelector('#widget-preview [data-chatleads]');"
                            + "var button = host && host.shadowRoot && host.shadowRoot.querySelector('button.send');"
                            + "return button && button.textContent;")));
            browser.script("document.getElementById('widget-settings').scrollIntoView();");
        });
        shoot("widget-settings-refused", () -> {
            browser.open(url(bot));
            new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("phoneMode"))).selectByValue("hidden");
            new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("emailMode"))).selectByValue("hidden");
            browser.driver().findElement(By.id("consentUrl")).clear();
            browser.driver().findElement(By.id("consentUrl")).sendKeys("ftp://acme-coffee.example/privacy");
            browser.navigateBy(() -> browser.driver().findElement(By.cssSelector("#widget-settings button[type=submit]")).click());
            browser.script("document.getElementById('fields-error').scrollIntoView({block: 'center'});");
        });
        shoot("leads", () -> browser.open(url(bot + "/leads")));
        shoot("leads-search", () -> browser.open(url(bot + "/leads?search=hopper")));
        shoot("chart", () -> {
            browser.open(url(bot + "/chart"));
            browser.await("the chart", d -> "true".equals(d.findElement(By.id("lead-chart")).getAttribute("data-drawn")));
        });
        shoot("capture-settings", () -> browser.open(url(bot + "/settings")));
        shoot("keys", () -> browser.open(url("/console/keys")));
        shoot("key-created", () -> {
            browser.open(url("/console/keys"));
            browser.driver().findElement(By.id("name")).sendKeys("Zapier", Keys.ENTER);
            browser.await("the secret", d -> !d.findElements(By.id("new-secret")).isEmpty());
        });
        String webhookId = app().webhooks().listByOwner(owner.id()).get(0).id();
        app().webhookTestEvents().send(app().webhooks().find(webhookId).orElseThrow(), chatbot.id());
        receiver.awaitRequests(1);
        shoot("webhooks", () -> browser.open(url("/console/webhooks")));
        shoot("webhook-deliveries", () -> browser.await("the delivery", d -> {
            d.get(url("/console/webhooks/" + webhookId));
            return d.getPageSource().contains("data-status=\"succeeded\"");
        }));
        shoot("webhook-rotated", () -> {
            browser.open(url("/console/webhooks/" + webhookId));
            browser.navigateBy(() -> browser.driver().findElement(By.xpath("//button[text()='Rotate secret']")).click());
            browser.await("the new secret", d -> !d.findElements(By.id("new-secret")).isEmpty());
        });
        shoot("account", () -> browser.open(url("/console/account")));
        shoot("not-found", () -> browser.open(url("/console/chatbots/not-a-chatbot")));
        List<String> saved = new ArrayList<>();
        try (var files = java.nio.file.Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-phone.png")).forEach(saved::add);
        }
        assertEquals(16, saved.stream().filter(n -> List.of("sign-in", "chatbots", "chatbot", "widget-settings",
                "widget-settings-refused", "leads",
                "leads-search", "chart", "capture-settings", "keys", "key-created", "webhooks", "webhook-deliveries",
                "webhook-rotated", "account", "not-found")
                .contains(n.replace("-phone.png", ""))).count(), saved.toString());
    }
}
