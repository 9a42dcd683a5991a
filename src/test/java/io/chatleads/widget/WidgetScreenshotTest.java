package io.chatleads.widget;

import io.chatleads.support.Browser;
import io.chatleads.support.PageServer;
import io.chatleads.support.ServerTestBase;
import io.chatleads.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each mode on a made-up shop's page at desktop and phone width, open, in a real Chromium: it fits
 * the viewport, and a screenshot of it is saved. They go to {@code target/screenshots}; the ones in
 * docs/widget/ are made with {@code -Dchatleads.screenshots.dir=docs/widget}.
 */
class WidgetScreenshotTest extends ServerTestBase {

    private static final String SHOP_STYLE = """
            <style>
            body{margin:0;font:16px/1.5 Georgia,serif;color:#222;background:#faf7f2}
            header{background:#3b2f2f;color:#fff;padding:14px 24px;font:600 20px system-ui,sans-serif}
            main{max-width:860px;margin:0 auto;padding:24px}
            h1{font-size:30px;margin:0 0 8px} .cols{display:flex;flex-wrap:wrap;gap:32px}
            .cols > *{flex:1 1 300px} p{margin:0 0 14px}
            /* a site's own rules that must not leak into the widget */
            button{background:hotpink;font-size:30px} input{border:4px dashed red} label{text-transform:uppercase}
            </style>""";

    private PageServer site;
    private Browser browser;
    private Tenant tenant;
    private Path dir;

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }

    @BeforeAll
    void start() {
        Browser.assumeInstalled();
        site = PageServer.start();
        browser = Browser.start();
        tenant = newTenant();
        app.widgetSettings().update(tenant.chatbot().id(), s -> s.withField("phone", FieldMode.OPTIONAL)
                .withConsentUrl("consentUrl", "https://shop.example.com/privacy")).orElseThrow();
        dir = Path.of(System.getProperty("chatleads.screenshots.dir", "target/screenshots"));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (site != null) {
            site.close();
        }
    }

    private void open(String mode, String widgetPlace, String attributes) {
        String path = "/" + mode;
        site.put(path, PageServer.Page.html("""
                <!doctype html><html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1"><title>Acme Coffee</title>%s</head>
                <body><header>Acme Coffee Roasters</header><main><div class="cols">
                <section><h1>Fresh beans, every week</h1><p>Single-origin coffee roasted in small batches and sent to
                your door. Tell us what you like and our roaster will call you back with a recommendation.</p>
                <p>Questions about wholesale or subscriptions? %s</p></section>
                <section id="contact"></section></div></main>
                <script src="http://127.0.0.1:%d/widget/v1.js" data-chatbot-id="%s" %s async></script></body></html>
                """.formatted(SHOP_STYLE, widgetPlace, server.port(), tenant.chatbot().id(), attributes)));
        browser.open(site.url(path));
    }

    private SearchContext widget(String mode) {
        return browser.await("the " + mode + " widget",
                driver -> Browser.find(driver, "[data-chatleads=" + mode + "]")).getShadowRoot();
    }

    private WebElement visible(SearchContext root, String css) {
        return browser.await(css, driver -> {
            WebElement found = Browser.find(root, css);
            return found != null && found.isDisplayed() ? found : null;
        });
    }

    /** The element is wholly inside the viewport, and the page does not scroll sideways. */
    private void assertFits(WebElement element, Browser.Size size, String what) {
        var rect = element.getRect();
        assertTrue(rect.getX() >= 0 && rect.getX() + rect.getWidth() <= size.width(),
                what + " at " + size.width() + " px wide spans " + rect.getX() + " to " + (rect.getX() + rect.getWidth()));
        assertTrue(rect.getY() >= 0 && rect.getY() + rect.getHeight() <= size.height() || what.startsWith("inline"),
                what + " at " + size.height() + " px high spans " + rect.getY() + " to " + (rect.getY() + rect.getHeight()));
        assertEquals(Boolean.TRUE, browser.script("return document.documentElement.scrollWidth <= window.innerWidth"),
                what + ": the page scrolls sideways");
    }

    @Test
    void everyModeFitsAndIsPhotographedAtDesktopAndPhoneWidth() {
        for (Browser.Size size : List.of(Browser.DESKTOP, Browser.PHONE)) {
            String width = size == Browser.DESKTOP ? "desktop" : "phone";
            browser.resize(size);

            open("inline", "Write to us.", "data-target=\"#contact\"");
            SearchContext inline = widget("inline");
            WebElement card = visible(inline, ".card");
            assertFits(card, size, "inline form");
            // The page styles labels, inputs and buttons its own way; none of it reaches the widget.
            assertEquals("none", visible(inline, "label").getCssValue("text-transform"));
            assertEquals("solid", visible(inline, "input[name=email]").getCssValue("border-top-style"));
            assertEquals("rgba(37, 99, 235, 1)", visible(inline, "button.send").getCssValue("background-color"));
            browser.script("arguments[0].scrollIntoView({block: 'center'})", card);
            browser.screenshot(dir.resolve("inline-" + width + ".png"));

            open("popup", "<span id=\"cta\"></span>", "data-mode=\"popup\" data-target=\"#cta\"");
            SearchContext popup = widget("popup");
            WebElement button = visible(popup, "button");
            assertFits(button, size, "popup button");
            browser.screenshot(dir.resolve("popup-closed-" + width + ".png"));
            button.click();
            WebElement dialog = visible(popup, "dialog[open] .card");
            assertFits(dialog, size, "popup");
            browser.screenshot(dir.resolve("popup-" + width + ".png"));

            open("bubble", "Use the button below.", "");
            SearchContext bubble = widget("bubble");
            WebElement launcher = visible(bubble, "button.bub");
            assertFits(launcher, size, "bubble");
            browser.screenshot(dir.resolve("bubble-closed-" + width + ".png"));
            launcher.click();
            WebElement panel = visible(bubble, "dialog[open] .card");
            assertFits(panel, size, "bubble panel");
            browser.screenshot(dir.resolve("bubble-" + width + ".png"));
        }
        browser.resize(Browser.DESKTOP);
    }

    @Test
    void theDarkColourSchemeIsPhotographedToo() {
        browser.resize(Browser.DESKTOP);
        browser.emulateMedia("dark", null);
        try {
            open("dark", "Write to us.", "data-target=\"#contact\"");
            SearchContext inline = widget("inline");
            WebElement card = visible(inline, ".card");
            assertEquals("rgba(17, 24, 39, 1)", card.getCssValue("background-color"), "dark background");
            visible(inline, "button.send").click(); // the errors, too
            visible(inline, "#cl-email-err");
            browser.screenshot(dir.resolve("inline-dark-desktop.png"));
        } finally {
            browser.emulateMedia(null, null);
        }
    }
}
