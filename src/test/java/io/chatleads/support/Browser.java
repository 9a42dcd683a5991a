package io.chatleads.support;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * A real headless Chromium, Debian's {@code /usr/bin/chromium} driven through its
 * {@code /usr/bin/chromedriver}, with a fresh profile of its own. Where either is missing (a
 * machine without the packages {@code chromium} and {@code chromium-driver}) {@link #start()}
 * skips the calling test through a JUnit assumption and prints one line saying so.
 *
 * <p>Nothing is downloaded: the driver executable is given to the service and the browser binary
 * to the options, so Selenium Manager (which would otherwise look up and fetch both) is never run.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** A laptop's window. */
    public static final Size DESKTOP = new Size(1280, 800, false);
    /** A phone held upright (an iPhone 14's CSS pixels), with touch-style viewport handling. */
    public static final Size PHONE = new Size(390, 844, true);

    private static final Duration WAIT = Duration.ofSeconds(30);
    // Selenium warns it has no DevTools bindings for this Chromium's version; the raw commands
    // used here (executeCdpCommand) need none. Held so the setting is not garbage-collected.
    private static final java.util.logging.Logger CDP_VERSION_FINDER = quiet("org.openqa.selenium.devtools.CdpVersionFinder");
    private static boolean missingReported;

    /** A viewport in CSS pixels; {@code mobile} makes the page's {@code <meta name=viewport>} count, as on a phone. */
    public record Size(int width, int height, boolean mobile) {
    }

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Whether this machine has both the browser and its driver. */
    public static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Skips the calling test (or class, from a {@code @BeforeAll}) unless Chromium and chromedriver are installed. */
    public static void assumeInstalled() {
        boolean installed = installed();
        if (!installed) {
            synchronized (Browser.class) {
                if (!missingReported) {
                    missingReported = true;
                    System.out.println("browser tests skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                            + " is missing (apt-get install chromium chromium-driver)");
                }
            }
        }
        Assumptions.assumeTrue(installed, "no " + CHROMIUM + " or " + CHROMEDRIVER);
    }

    /** A headless Chromium with an empty profile, at desktop size. */
    public static Browser start() {
        assumeInstalled();
        Path profile;
        try {
            profile = Files.createTempDirectory("chatleads-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                // Tests run as root in a container, where Chromium's sandbox cannot start.
                "--no-sandbox",
                "--disable-gpu",
                // Nothing of the browser's own talks to the internet: no updates, sync, field trials.
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--user-data-dir=" + profile,
                "--window-size=" + DESKTOP.width() + "," + DESKTOP.height());
        // The page's console (CSP violations, script errors), readable with consoleErrors().
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(WAIT);
            Browser browser = new Browser(driver, profile);
            browser.resize(DESKTOP);
            return browser;
        } catch (RuntimeException e) {
            deleteRecursively(profile);
            throw e;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /**
     * Sets the viewport to exactly {@code size} CSS pixels, whatever the window around it (set
     * through the DevTools protocol rather than the window: in headless mode the window's size is
     * not quite its viewport's).
     */
    public void resize(Size size) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", size.width(), "height", size.height(), "deviceScaleFactor", 1, "mobile", size.mobile()));
    }

    /** Makes the page see {@code prefers-color-scheme} and {@code prefers-reduced-motion} as given (null: the default). */
    public void emulateMedia(String colorScheme, String reducedMotion) {
        List<Map<String, String>> features = new ArrayList<>();
        features.add(Map.of("name", "prefers-color-scheme", "value", colorScheme == null ? "" : colorScheme));
        features.add(Map.of("name", "prefers-reduced-motion", "value", reducedMotion == null ? "" : reducedMotion));
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", features));
    }

    /** Saves what the viewport shows as a PNG at {@code file} (its directories are made); returns the file. */
    public Path screenshot(Path file) {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Runs {@code script} in the page (a function body: {@code return …} gives its value). */
    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs an asynchronous script: its last argument is the callback that gives its value. */
    public Object asyncScript(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Waits (up to 30 s, failing then) until {@code condition} gives a non-null, non-false value; returns it. */
    public <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).withMessage(what).until(condition);
    }

    /**
     * Does {@code action} (a click or a key that loads another page) and waits until that next page has loaded.
     * WebDriver's click returns as soon as the event is sent, so without this the next lookup may run on the old
     * page: find an element of the same id there, or none.
     */
    public void navigateBy(Runnable action) {
        script("window.chatleadsLeftPage = true;");
        action.run();
        await("the next page to load", d -> {
            try {
                return Boolean.TRUE.equals(script("return !window.chatleadsLeftPage && document.readyState === 'complete';"));
            } catch (org.openqa.selenium.WebDriverException navigating) {
                return false;
            }
        });
    }

    /** The first element under {@code root} matching the CSS selector, or null. */
    public static WebElement find(SearchContext root, String css) {
        List<WebElement> found = root.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0);
    }

    /** The element that has focus, piercing open shadow roots down to the innermost one. */
    public WebElement focused() {
        return (WebElement) script("""
                let element = document.activeElement;
                while (element && element.shadowRoot && element.shadowRoot.activeElement) {
                    element = element.shadowRoot.activeElement;
                }
                return element;
                """);
    }

    /** The page console's error lines since the last call (script errors, Content-Security-Policy refusals). */
    public List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        return errors;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteRecursively(profile);
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans up what is left
        }
    }
}
