package io.chatleads.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The browser support itself: a real Chromium opens a page of another server, resizes, and takes a screenshot. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserSupportTest {

    private PageServer site;
    private Browser browser;

    @BeforeAll
    void start() {
        Browser.assumeInstalled();
        site = PageServer.start().put("/", PageServer.Page.html("""
                <!doctype html><html><head><title>hello</title>
                <meta name="viewport" content="width=device-width, initial-scale=1"></head>
                <body><h1 id="greeting">Hello</h1><a id="next" href="/next">next</a></body></html>
                """)).put("/next", PageServer.Page.html("""
                <!doctype html><html><head><title>next</title></head>
                <body><h1 id="greeting">Next page</h1></body></html>
                """));
        browser = Browser.start();
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

    @Test
    void opensAPageAndShowsItAtDesktopAndPhoneWidth() throws IOException {
        browser.open(site.url("/"));
        assertEquals("hello", browser.driver().getTitle());
        assertEquals("Hello", browser.driver().findElement(org.openqa.selenium.By.id("greeting")).getText());

        browser.resize(Browser.DESKTOP);
        assertEquals(1280L, browser.script("return window.innerWidth"));
        browser.resize(Browser.PHONE);
        assertEquals(390L, browser.script("return window.innerWidth"));
        assertEquals(844L, browser.script("return window.innerHeight"));

        Path file = Files.createTempDirectory("chatleads-shot").resolve("phone.png");
        browser.screenshot(file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(390, image.getWidth());
        assertEquals(844, image.getHeight());
        browser.resize(Browser.DESKTOP);
    }

    @Test
    void emulatesADarkColourScheme() {
        browser.open(site.url("/"));
        browser.emulateMedia("dark", "reduce");
        assertEquals(true, browser.script("return matchMedia('(prefers-color-scheme: dark)').matches"));
        assertEquals(true, browser.script("return matchMedia('(prefers-reduced-motion: reduce)').matches"));
        browser.emulateMedia("light", null);
        assertEquals(false, browser.script("return matchMedia('(prefers-color-scheme: dark)').matches"));
        var errors = browser.consoleErrors();
        assertTrue(errors.isEmpty(), "a plain page logs no error: " + errors);
    }

    @Test
    void navigateByWaitsForTheNextPage() {
        browser.open(site.url("/"));
        browser.navigateBy(() -> browser.driver().findElement(org.openqa.selenium.By.id("next")).click());
        assertEquals("Next page", browser.driver().findElement(org.openqa.selenium.By.id("greeting")).getText());
    }
}
